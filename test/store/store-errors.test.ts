import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { StoreError } from "../../src/store/index.js";
import { openOrkestraStore } from "../../src/store-schema.js";
import { testStoreDialects } from "../helpers/stores.js";

async function openError(url: string): Promise<StoreError> {
  const thrown = await openOrkestraStore(url).then(
    async (store) => {
      await store.close();
      throw new Error(`openOrkestraStore(${url}) unexpectedly succeeded`);
    },
    (error: unknown) => error,
  );
  expect(StoreError.isInstance(thrown), String(thrown)).toBe(true);
  return thrown as StoreError;
}

/** Every way the error could be shown to a user or a log. */
function renderings(error: StoreError): string[] {
  return [
    error.message,
    String(error.hint),
    JSON.stringify(error),
    String(error.stack),
    inspect(error),
  ];
}

describe("StoreError from openStore", () => {
  it.each([
    "mysql://root@localhost/db",
    "file.db",
    "sqlite:",
    "postgres://u@h/db?schema=bad-name;drop",
    "",
  ])("rejects %j with store.invalid_url and says what is accepted", async (url) => {
    const error = await openError(url);
    expect(error.code).toBe("store.invalid_url");
    expect(error.hint).toMatch(/sqlite:<path>.*postgres:\/\//s);
  });

  it("never shows the password of an unsupported URL", async () => {
    const error = await openError("mysql://root:pa55word-xyz@localhost/db");
    for (const text of renderings(error)) expect(text).not.toContain("pa55word-xyz");
  });

  it("reports a SQLite file that cannot be opened as store.connect", async () => {
    const directory = await mkdtemp(join(tmpdir(), "orkestra-store-"));
    try {
      const notADatabase = join(directory, "not-a-database.db");
      await writeFile(notADatabase, "this is plain text, not SQLite ".repeat(200));
      const error = await openError(`sqlite:${notADatabase}`);
      expect(error.code).toBe("store.connect");
      expect(error.driverCode).toBe("SQLITE_NOTADB");

      const blocked = join(directory, "a-file");
      await writeFile(blocked, "");
      const parentIsFile = await openError(`sqlite:${join(blocked, "store.db")}`);
      expect(parentIsFile.code).toBe("store.connect");
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe.runIf(testStoreDialects().includes("postgres"))("StoreError from PostgreSQL", () => {
  const password = "Sup3r-S3cret-pw";

  it("reports a wrong port as store.connect, retryable, without the password", async () => {
    const error = await openError(`postgres://orkestra:${password}@127.0.0.1:1/orkestra?schema=x`);
    expect(error.code).toBe("store.connect");
    expect(error.retryable).toBe(true);
    expect(error.driverCode).toBe("ECONNREFUSED");
    expect(error.message).toContain("postgres://orkestra:***@127.0.0.1:1/orkestra");
    for (const text of renderings(error)) expect(text).not.toContain(password);
  });

  it("reports an unknown host as store.connect without the password", async () => {
    const error = await openError(`postgresql://orkestra:${password}@no-such-host.invalid:5432/db`);
    expect(error.code).toBe("store.connect");
    for (const text of renderings(error)) expect(text).not.toContain(password);
  });

  it("reports a database that does not exist as store.connect, not retryable", async () => {
    const url = new URL(
      process.env.ORKESTRA_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    );
    url.pathname = "/no_such_database_for_orkestra";
    url.password = password;
    const error = await openError(url.toString());
    expect(error).toMatchObject({ code: "store.connect", retryable: false, driverCode: "3D000" });
    for (const text of renderings(error)) expect(text).not.toContain(password);
  });
});
