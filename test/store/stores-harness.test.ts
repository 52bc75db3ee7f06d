import { describe, expect, it } from "vitest";
import { checkPostgresReachable, testStoreDialects } from "../helpers/stores.js";

describe("the store test harness", () => {
  it("fails loudly, saying how to start PostgreSQL or narrow the run, when it is unreachable", async () => {
    const error = await checkPostgresReachable(
      "postgres://tester:hidden-pw@127.0.0.1:1/test",
    ).catch((thrown: unknown) => thrown as Error);
    expect(error).toBeInstanceOf(Error);
    const { message } = error as Error;
    expect(message).toContain(
      "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    );
    expect(message).toContain("STORES=sqlite");
    expect(message).toContain("postgres://tester:***@127.0.0.1:1/test");
    expect(message).not.toContain("hidden-pw");
  });

  it("refuses an unknown backend in STORES instead of skipping it", () => {
    const saved = process.env.STORES;
    process.env.STORES = "sqlite,mysql";
    try {
      expect(() => testStoreDialects()).toThrow(/unknown backend "mysql"/);
    } finally {
      if (saved === undefined) delete process.env.STORES;
      else process.env.STORES = saved;
    }
  });
});
