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
let empty: Workspace;

const run = (args: string[], cwd = made.dir) => runInProcess(args, { cwd });

beforeAll(async () => {
  server = await startFakeProviderServer();
  made = await makeWorkspace({
    models: {
      claude: fakeModel(server, "anthropic"),
      gpt: fakeModel(server, "openai"),
      sim: { provider: "simulated", latencyMs: 1, reply: "simulated reply" },
    },
  });
  empty = await makeWorkspace();
  // claude answers twice with known usage; gpt fails once (no tokens); sim answers twice.
  server.setDefault(
    { kind: "reply", text: "ok", usage: { inputTokens: 1_000, outputTokens: 200 } },
    "anthropic",
  );
  server.setDefault({ kind: "error", status: 401 }, "openai");
  expect((await run(["ask", "-m", "claude,gpt,sim", "first"])).code).toBe(0);
  expect((await run(["ask", "-m", "claude,sim", "second"])).code).toBe(0);
});

afterAll(async () => {
  await server.close();
  await made.remove();
  await empty.remove();
});

// claude-sonnet-4-5 from the price table: $3 in, $15 out per million tokens.
const CLAUDE_COST = (2 * (1_000 * 3 + 200 * 15)) / 1e6;

describe("orkestra usage", () => {
  it("sums calls, failures, tokens and cost per model, with a total line", async () => {
    const shown = await run(["usage"]);
    expect(shown.code).toBe(0);
    const lines = shown.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^MODEL\s+PROVIDER\s+CALLS\s+FAILED\s+INPUT\s+CACHE READ\s+CACHE WRITE\s+OUTPUT\s+REASONING\s+COST USD$/,
    );
    expect(lines[1]).toMatch(/^claude\s+anthropic\s+2\s+0\s+2,000\s+0\s+0\s+400\s+0\s+\$0\.0120$/);
    expect(lines[2]).toMatch(/^gpt\s+openai\s+1\s+1\s+0\s+0\s+0\s+0\s+0\s+\$0$/);
    expect(lines[3]).toMatch(/^sim\s+simulated\s+2\s+0\s+.*\$0\s+\(simulated\)$/);
    expect(lines[4]).toMatch(/^TOTAL\s+5\s+1\s+.*\$0\.0120\s+\(simulated\)$/);
    expect(lines).toHaveLength(5);
  });

  it("groups by UTC day with --by day", async () => {
    const shown = await run(["usage", "--by", "day"]);
    expect(shown.code).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    expect(shown.stdout).toMatch(/^DAY \(UTC\)/);
    expect(shown.stdout).toMatch(new RegExp(`^${today}\\s+.*\\s5\\s+1\\s`, "m"));
  });

  it("gives the report as one JSON document", async () => {
    const json = await run(["--json", "usage", "--since", "1h"]);
    expect(json.code).toBe(0);
    const report = parseJson(json) as {
      by: string;
      lines: { key: string; calls: number; simulated: boolean }[];
      total: { calls: number; failures: number; inputTokens: number; costUsd: number };
    };
    expect(report.by).toBe("model");
    expect(report.lines.map((line) => [line.key, line.calls, line.simulated])).toEqual([
      ["claude", 2, false],
      ["gpt", 1, false],
      ["sim", 2, true],
    ]);
    expect(report.lines[0]).toMatchObject({ inputTokens: 2_000, outputTokens: 400 });
    expect(report.total).toMatchObject({ calls: 5, failures: 1 });
    expect(report.total.costUsd).toBeCloseTo(CLAUDE_COST, 9);
    expect(json.stderr).toBe("");
  });

  it("rejects an unknown --by with exit 2, naming the allowed values", async () => {
    const shown = await run(["usage", "--by", "week"]);
    expect(shown.code).toBe(2);
    expect(shown.stderr).toContain("Allowed choices are model, day.");
    const json = await run(["--json", "usage", "--by", "week"]);
    expect(json.code).toBe(2);
    expect(parseJson(json)).toMatchObject({
      success: false,
      error: { code: "usage", message: expect.stringContaining("model, day") },
    });
    expect((await run(["usage", "--since", "forever"])).code).toBe(2);
  });

  it("says so when there were no calls", async () => {
    const shown = await run(["usage"], empty.dir);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^No model calls since \d{4}-/);
  });

  it("documents --by and its choices in --help", async () => {
    const help = await run(["usage", "--help"]);
    expect(help.code).toBe(0);
    const text = help.stdout.replace(/\s+/g, " ");
    expect(text).toMatch(/--by <grouping> .*\(choices: "model", "day", default: "model"\)/);
    expect(text).toMatch(/--since <duration> .*\(default: "24h"\)/);
  });
});
