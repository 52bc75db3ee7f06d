import { describe, expect, it } from "vitest";
import { StoreError } from "./store-error.js";
import { displayStoreUrl, parseStoreUrl } from "./store-url.js";

describe("parseStoreUrl", () => {
  it("reads SQLite paths in their usual spellings", () => {
    expect(parseStoreUrl("sqlite:.orkestra/orkestra.db")).toMatchObject({
      dialect: "sqlite",
      path: ".orkestra/orkestra.db",
    });
    expect(parseStoreUrl("sqlite:///var/lib/o.db")).toMatchObject({ path: "/var/lib/o.db" });
    expect(parseStoreUrl("sqlite:/var/lib/o.db")).toMatchObject({ path: "/var/lib/o.db" });
    expect(parseStoreUrl("sqlite::memory:")).toMatchObject({ path: ":memory:" });
  });

  it("strips the schema parameter before pg sees the URL and keeps the rest", () => {
    const target = parseStoreUrl("postgres://u:pw@db:5433/app?schema=tenant_1&sslmode=require");
    expect(target).toEqual({
      dialect: "postgres",
      connectionString: "postgres://u:pw@db:5433/app?sslmode=require",
      schema: "tenant_1",
      displayUrl: "postgres://u:***@db:5433/app?schema=tenant_1&sslmode=require",
    });
    expect(parseStoreUrl("postgresql://db/app")).toMatchObject({ schema: undefined });
  });

  it("refuses schema names that are not plain identifiers", () => {
    expect(() => parseStoreUrl('postgres://db/app?schema=a"b')).toThrow(StoreError);
    expect(() => parseStoreUrl("postgres://db/app?schema=Tenant")).toThrow(/lower-case/);
  });
});

describe("displayStoreUrl", () => {
  it("hides the password and nothing else", () => {
    expect(displayStoreUrl("postgres://alice:s%40cret@h:1/d")).toBe("postgres://alice:***@h:1/d");
    expect(displayStoreUrl("postgres://alice@h/d")).toBe("postgres://alice@h/d");
    expect(displayStoreUrl("sqlite:/tmp/x.db")).toBe("sqlite:/tmp/x.db");
  });
});
