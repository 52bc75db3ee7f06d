import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPostgresUrl, testStoreDialects } from "../helpers/stores.js";
import { makeWorkspace, parseJson, runInProcess, type Workspace } from "./cli-harness.js";

/** A store whose user may not create Orkestra's tables: the error names the store and the fix. */

const onPostgres = testStoreDialects().includes("postgres");
const role = `orkestra_nocreate_${randomBytes(4).toString("hex")}`;
const password = `Pw${randomBytes(8).toString("hex")}`;
let admin: pg.Client;
let made: Workspace;
let storeUrl: (schema?: string) => string;

beforeAll(async () => {
  if (!onPostgres) return;
  const server = new URL(testPostgresUrl());
  admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  // A role that may log in and nothing more: no CREATE on the database or on schema public.
  await admin.query(`create role ${role} login password '${password}'`);
  await admin.query(`revoke create on database "${server.pathname.slice(1)}" from ${role}`);
  storeUrl = (schema) => {
    const url = new URL(server.toString());
    url.username = role;
    url.password = password;
    if (schema) url.searchParams.set("schema", schema);
    return url.toString();
  };
  made = await makeWorkspace({ models: { sim: { provider: "simulated", latencyMs: 1 } } });
});

afterAll(async () => {
  if (!onPostgres) return;
  await made.remove();
  await admin.query(`drop role if exists ${role}`);
  await admin.end();
});

describe.runIf(onPostgres)("a PostgreSQL store without the CREATE right", () => {
  it.each([
    ["public schema", undefined],
    ["?schema=", `nc_${role}`],
  ])("names the store (no password) and the grant to give (%s)", async (_case, schema) => {
    const run = await runInProcess(["usage"], {
      cwd: made.dir,
      env: { ORKESTRA_STORE: storeUrl(schema) },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`PostgreSQL at postgres://${role}:***@`);
    expect(run.stderr).toContain("permission denied");
    expect(run.stderr).toMatch(/GRANT CREATE ON (SCHEMA|DATABASE)/);
    expect(run.stderr).not.toContain(password);
    const json = await runInProcess(["--json", "usage"], {
      cwd: made.dir,
      env: { ORKESTRA_STORE: storeUrl(schema) },
    });
    expect(parseJson(json)).toMatchObject({
      success: false,
      error: { code: "store.permission", driverCode: "42501" },
    });
  });
});
