import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeProviderServer, startFakeProviderServer } from "../../src/testing/index.js";
import {
  fakeModel,
  makeWorkspace,
  parseJson,
  runInProcess,
  type Workspace,
} from "./cli-harness.js";

let server: FakeProviderServer;
let made: Workspace;

const run = (args: string[]) => runInProcess(args, { cwd: made.dir });

beforeAll(async () => {
  server = await startFakeProviderServer();
  // A model far too dear for the budget: the gateway refuses before sending, and audits it.
  made = await makeWorkspace({
    models: { pricey: fakeModel(server, "anthropic", { price: { input: 1000, output: 1000 } }) },
    budget: { daily_usd: 0.01 },
  });
  const refused = await run(["--json", "ask", "hello"]);
  expect(refused.code).toBe(1);
  expect(parseJson(refused).failures).toEqual([
    expect.objectContaining({
      model: "pricey",
      error: expect.objectContaining({ kind: "budget_exceeded" }),
    }),
  ]);
  expect(server.requests).toHaveLength(0);
});

afterAll(async () => {
  await server.close();
  await made.remove();
});

describe("orkestra audit", () => {
  it("shows the budget refusal as a table", async () => {
    const shown = await run(["audit"]);
    expect(shown.code).toBe(0);
    const [header, row, ...rest] = shown.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^TIME\s+ACTOR\s+ACTION\s+RESOURCE\s+OUTCOME\s+DATA$/);
    expect(row).toMatch(
      /^\d{4}-\d\d-\d\dT\S+Z\s+cli:\S+\s+budget:exceeded\s+model:pricey\s+denied\s+\{/,
    );
    expect(rest).toEqual([]);
  });

  it("filters by action and time, and gives one JSON document", async () => {
    const json = await run(["--json", "audit", "--action", "budget:exceeded", "--since", "1h"]);
    expect(parseJson(json)).toEqual({
      success: true,
      events: [
        expect.objectContaining({
          at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
          action: "budget:exceeded",
          resource: "model:pricey",
          outcome: "denied",
          actor: expect.stringMatching(/^cli:/),
        }),
      ],
    });
    const none = await run(["audit", "--action", "model:call"]);
    expect(none).toMatchObject({ code: 0, stdout: "No audit events match.\n" });
    expect(parseJson(await run(["--json", "audit", "--actor", "someone-else"]))).toEqual({
      success: true,
      events: [],
    });
  });

  it("rejects a bad --limit or --since with exit 2", async () => {
    expect((await run(["audit", "--limit", "0"])).code).toBe(2);
    const since = await run(["audit", "--since", "yesterday"]);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since: "yesterday" is not a duration');
    // Checked before the store is opened: an unreachable store does not hide the usage error.
    const unreachable = { ORKESTRA_STORE: "postgres://orkestra@127.0.0.1:9/orkestra" };
    for (const args of [
      ["audit", "--since", "yesterday"],
      ["audit", "export", "--since", "yesterday"],
    ]) {
      expect((await runInProcess(args, { cwd: made.dir, env: unreachable })).code).toBe(2);
    }
  });
});

describe("orkestra audit export", () => {
  it("writes JSON Lines to stdout", async () => {
    const exported = await run(["audit", "export"]);
    expect(exported.code).toBe(0);
    const lines = exported.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ action: "budget:exceeded" });
  });

  it("applies its filters, written after export or before it", async () => {
    for (const args of [
      ["audit", "export", "--action", "model:call"],
      ["audit", "--action", "model:call", "export"],
      ["audit", "export", "--actor", "nobody"],
    ]) {
      const exported = await run(args);
      expect(exported, args.join(" ")).toMatchObject({ code: 0, stdout: "" });
    }
    const matching = await run(["audit", "export", "--since", "1h", "--action", "budget:exceeded"]);
    expect(matching.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect((await run(["audit", "export", "--limit", "5"])).code).toBe(2);
  });

  it("writes to a file with -o, saying so unless --quiet", async () => {
    const exported = await run(["audit", "export", "-o", "audit.jsonl"]);
    expect(exported).toMatchObject({ code: 0, stdout: "" });
    expect(exported.stderr).toContain("Wrote 1 audit event to audit.jsonl");
    const text = await readFile(join(made.dir, "audit.jsonl"), "utf8");
    expect(JSON.parse(text.trimEnd())).toMatchObject({ resource: "model:pricey" });

    const quiet = await run(["--quiet", "audit", "export", "-o", "quiet.jsonl"]);
    expect(quiet).toMatchObject({ code: 0, stdout: "", stderr: "" });
  });

  it("prints exactly one JSON document with --json", async () => {
    const toStdout = await run(["--json", "audit", "export"]);
    expect(parseJson(toStdout)).toEqual({
      success: true,
      events: [expect.objectContaining({ action: "budget:exceeded" })],
    });
    const toFile = await run(["--json", "audit", "export", "-o", "json.jsonl"]);
    expect(parseJson(toFile)).toEqual({ success: true, file: "json.jsonl", count: 1 });
  });

  it("exits 2 when the output file cannot be written", async () => {
    const exported = await run(["audit", "export", "-o", "no/such/dir/audit.jsonl"]);
    expect(exported.code).toBe(2);
    expect(exported.stderr).toContain("-o: cannot write no/such/dir/audit.jsonl");
  });
});
