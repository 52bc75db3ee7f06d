import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeProviderServer, startFakeProviderServer } from "../../src/testing/index.js";
import {
  FAKE_KEY,
  fakeModel,
  makeWorkspace,
  parseJson,
  runInProcess,
  type Workspace,
} from "./cli-harness.js";

let server: FakeProviderServer;
let made: Workspace;
const workspaces: Workspace[] = [];

beforeAll(async () => {
  server = await startFakeProviderServer();
  made = await makeWorkspace({
    models: {
      claude: fakeModel(server, "anthropic", {
        limits: { requestsPerMinute: 60, tokensPerMinute: 100_000 },
      }),
      gpt: fakeModel(server, "openai"),
      nokey: fakeModel(server, "xai", { apiKeyEnv: "ORKESTRA_TEST_MISSING_KEY" }),
      local: {
        provider: "openai-compatible",
        model: "llama3.2",
        baseURL: server.baseURL["openai-compatible"],
      },
      gemini: fakeModel(server, "google", { price: { input: 0.5, output: 1.5 } }),
      sim: { provider: "simulated", latencyMs: 1 },
      flaky: { provider: "simulated", latencyMs: 1, failures: { server: 1 } },
    },
    fallbacks: { smart: ["gpt", "claude"] },
  });
  workspaces.push(made);
});

beforeEach(() => server.reset());

afterAll(async () => {
  await server.close();
  await Promise.all(workspaces.map((workspace) => workspace.remove()));
});

const run = (args: string[], cwd = made.dir) => runInProcess(args, { cwd });

describe("orkestra models list", () => {
  it("shows provider, model, key variable and state, price and its source, limits", async () => {
    const listed = await run(["models", "list"]);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.split("\n");
    expect(lines[0]).toMatch(/^ALIAS\s+PROVIDER\s+MODEL\s+KEY\s+PRICE \$\/M IN \/ OUT\s+LIMITS$/);
    const row = (alias: string) => lines.find((line) => line.startsWith(`${alias} `)) ?? "";
    expect(row("claude")).toMatch(
      /^claude\s+anthropic\s+claude-sonnet-4-5\s+ORKESTRA_TEST_KEY \(set\)\s+3 \/ 15 \(table\)\s+60 rpm, 100000 tpm$/,
    );
    expect(row("nokey")).toMatch(/xai\s+grok-4\s+ORKESTRA_TEST_MISSING_KEY \(missing\)/);
    expect(row("local")).toMatch(/llama3\.2\s+— \(none needed\)\s+— \(none\)\s+—$/);
    expect(row("gemini")).toMatch(/0\.5 \/ 1\.5 \(config\)/);
    expect(row("sim")).toMatch(
      /^sim \(simulated\)\s+simulated\s+simulated\s+—\s+0 \/ 0 \(simulated\)/,
    );
    expect(listed.stdout).toContain("fallback smart: gpt → claude");
    expect(listed.stdout + listed.stderr).not.toContain(FAKE_KEY);
  });

  it("gives the same as one JSON document with --json", async () => {
    const listed = await run(["--json", "models", "list"]);
    expect(listed.code).toBe(0);
    const document = parseJson(listed) as {
      models: Record<string, unknown>[];
      fallbacks: unknown;
    };
    expect(document.models.map((model) => model.alias)).toEqual([
      "claude",
      "gpt",
      "nokey",
      "local",
      "gemini",
      "sim",
      "flaky",
    ]);
    expect(document.models[0]).toMatchObject({
      alias: "claude",
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      simulated: false,
      baseURL: server.baseURL.anthropic,
      key: { variable: "ORKESTRA_TEST_KEY", required: true, set: true },
      price: { input: 3, output: 15, source: "table", tableId: "claude-sonnet-4-5" },
      limits: { requestsPerMinute: 60, tokensPerMinute: 100_000 },
      retries: 3,
    });
    expect(document.models[3]).toMatchObject({
      alias: "local",
      key: { variable: null, required: false, set: false },
      price: { source: "none" },
      limits: null,
    });
    expect(document.fallbacks).toEqual({ smart: ["gpt", "claude"] });
    expect(listed.stdout).not.toContain(FAKE_KEY);
    expect(listed.stderr).toBe("");
  });

  it("says when the model is the built-in simulated one, unless --quiet", async () => {
    const empty = await makeWorkspace();
    workspaces.push(empty);
    const listed = await run(["models", "list"], empty.dir);
    expect(listed.stdout).toMatch(/^sim \(simulated\)/m);
    expect(listed.stderr).toContain("built-in simulated model");
    const quiet = await run(["--quiet", "models", "list"], empty.dir);
    expect(quiet.stdout).toBe(listed.stdout);
    expect(quiet.stderr).toBe("");
  });
});

describe("orkestra models test", () => {
  it("calls each model once, concurrently, and reports ok and the error kind", async () => {
    server.setDefault({ kind: "reply", text: "ok" }, "anthropic");
    server.setDefault({ kind: "error", status: 401 }, "openai");

    const tested = await run(["models", "test", "claude", "gpt", "sim"]);

    expect(tested.code).toBe(1);
    const lines = tested.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ALIAS\s+STATUS\s+LATENCY\s+DETAIL$/);
    expect(lines[1]).toMatch(/^claude\s+ok\s+\d+ ms\s+ok$/);
    expect(lines[2]).toMatch(/^gpt\s+auth\s+\d+ ms\s+auth \(401/);
    expect(lines[3]).toMatch(/^sim \(simulated\)\s+ok\s+\d+ ms\s+Simulated answer/);
    expect(tested.stderr).toContain("2 of 3 models answered.");
    // Tiny calls: a small output cap.
    expect(server.requestsFor("anthropic")[0]?.body).toMatchObject({ max_tokens: 16 });
  });

  it("never retries, so one request per model even on a retryable error", async () => {
    server.setDefault({ kind: "error", status: 503 }, "google");
    const tested = await run(["--json", "models", "test", "gemini"]);
    expect(tested.code).toBe(1);
    expect(parseJson(tested)).toEqual({
      success: false,
      results: [
        {
          model: "gemini",
          ok: false,
          status: "overloaded",
          provider: "google",
          modelId: "gemini-2.5-flash",
          simulated: false,
          latencyMs: expect.any(Number),
          error: expect.objectContaining({ kind: "overloaded", status: 503, retryable: true }),
        },
      ],
      durationMs: expect.any(Number),
    });
    expect(server.requestsFor("google")).toHaveLength(1);
  });

  it("gives a silent model --timeout to answer", async () => {
    server.setDefault({ kind: "hang" }, "openai-compatible");
    const startedAt = Date.now();
    const tested = await run(["models", "test", "--timeout", "250ms", "local"]);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(tested.code).toBe(1);
    expect(tested.stdout).toMatch(/^local\s+timeout\s+\d+ ms/m);
  });

  it("exits 0 when every model answered, testing a fallback chain's members", async () => {
    const tested = await run(["--json", "models", "test", "smart"]);
    expect(tested.code).toBe(0);
    const document = parseJson(tested) as { success: boolean; results: Record<string, unknown>[] };
    expect(document.success).toBe(true);
    expect(document.results.map((result) => [result.model, result.status])).toEqual([
      ["gpt", "ok"],
      ["claude", "ok"],
    ]);
    expect(document.results[0]).toMatchObject({
      provider: "openai",
      modelId: "gpt-4.1",
      simulated: false,
      text: "Hello from the fake provider.",
      error: null,
    });
  });

  it("labels a failed simulated model simulated, once, in the row and in --json", async () => {
    const human = await run(["models", "test", "flaky"]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(
      /^flaky \(simulated\)\s+server\s+\d+ ms\s+server: simulated failure \(models\.flaky\.failures\)$/m,
    );
    const json = await run(["--json", "models", "test", "flaky"]);
    const [result] = (parseJson(json) as { results: Record<string, unknown>[] }).results;
    expect(result).toMatchObject({
      model: "flaky",
      ok: false,
      provider: "simulated",
      modelId: "simulated",
      simulated: true,
      error: {
        kind: "server",
        message: "flaky (simulated): server: simulated failure (models.flaky.failures)",
      },
    });
    expect(`${human.stdout}${human.stderr}${json.stdout}`).not.toContain("simulated simulated");
  });

  it("reports a missing key as auth without sending anything", async () => {
    const tested = await run(["models", "test", "nokey"]);
    expect(tested.code).toBe(1);
    expect(tested.stdout).toMatch(
      /^nokey\s+auth\s+\d+ ms\s+no API key: ORKESTRA_TEST_MISSING_KEY is not set/m,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("rejects an unknown alias with exit 2 and the known ones", async () => {
    const tested = await run(["models", "test", "claude", "nope"]);
    expect(tested.code).toBe(2);
    expect(tested.stderr).toContain('unknown model "nope"');
    expect(tested.stderr).toContain("Known models: claude, gpt, nokey, local, gemini, sim, flaky");
    expect(server.requests).toHaveLength(0);
  });
});
