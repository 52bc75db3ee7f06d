import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  errors,
  type FakeProviderServer,
  startFakeProviderServer,
} from "../../src/testing/index.js";
import {
  fakeModel,
  makeWorkspace,
  parseJson,
  runInProcess,
  type Workspace,
} from "./cli-harness.js";

let server: FakeProviderServer;
let made: Workspace;

beforeAll(async () => {
  server = await startFakeProviderServer();
  // Aliases differ per test: circuit breakers are per process and keyed by alias.
  made = await makeWorkspace({
    models: {
      claude: fakeModel(server, "anthropic"),
      gpt: fakeModel(server, "openai", { retries: 0 }),
      primary: fakeModel(server, "xai", { retries: 0 }),
      backup: fakeModel(server, "google"),
      slow: fakeModel(server, "openai-compatible", { retries: 0 }),
      sim: { provider: "simulated", latencyMs: 1 },
    },
  });
});

beforeEach(() => server.reset());

afterAll(async () => {
  await server.close();
  await made.remove();
});

const ask = (args: string[], stdin?: string) =>
  runInProcess(["ask", ...args], { cwd: made.dir, ...(stdin === undefined ? {} : { stdin }) });

describe("orkestra ask", () => {
  it("prints the documented --json shape for answers and failures", async () => {
    server.enqueueFor("anthropic", {
      kind: "reply",
      text: "Four.",
      usage: { inputTokens: 12, outputTokens: 3 },
    });
    server.enqueueFor("openai", { kind: "error", status: 401 });

    const run = await runInProcess(["--json", "ask", "--models", "claude,gpt", "2+2?"], {
      cwd: made.dir,
    });

    expect(run.code).toBe(0);
    const document = parseJson(run);
    expect(document).toEqual({
      success: true,
      results: [
        expect.objectContaining({
          model: "claude",
          provider: "anthropic",
          text: "Four.",
          usage: expect.objectContaining({ inputTokens: 12, outputTokens: 3 }),
          costUsd: expect.any(Number),
          durationMs: expect.any(Number),
          attempts: 1,
        }),
      ],
      failures: [
        {
          model: "gpt",
          error: { kind: "auth", message: expect.any(String), retryable: false, status: 401 },
          attempts: 1,
          durationMs: expect.any(Number),
        },
      ],
      durationMs: expect.any(Number),
    });
    const [result] = document.results as { usage: Record<string, unknown>; costUsd: number }[];
    expect(Object.keys(result?.usage ?? {}).sort()).toEqual(
      [
        "cacheReadTokens",
        "cacheWriteTokens",
        "inputTokens",
        "outputTokens",
        "reasoningTokens",
        "totalTokens",
      ].sort(),
    );
    // claude-sonnet-4-5 is in the price table: 12 in at $3/M, 3 out at $15/M.
    expect(result?.costUsd).toBeCloseTo((12 * 3 + 3 * 15) / 1e6, 12);
  });

  it("prints answers on stdout and failures on stderr for people", async () => {
    server.enqueueFor("openai", { kind: "error", status: 401 });
    const run = await ask(["--models", "claude,gpt", "hello"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^── claude \(anthropic claude-sonnet-4-5\) · .* · 1 attempt · /m);
    expect(run.stdout).toContain("Hello from the fake provider.");
    expect(run.stdout).not.toContain("gpt");
    expect(run.stderr).toMatch(/── gpt FAILED \(auth 401\) after 1 attempt/);
  });

  it("labels simulated answers", async () => {
    const run = await ask(["--models", "sim", "hi"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^── sim \(simulated\)/);
  });

  it("rejects an unknown alias with exit 2, listing the known models, before calling any", async () => {
    const run = await ask(["--models", "claude,claud", "hello"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown model "claud" (did you mean "claude"?)');
    expect(run.stderr).toContain("Known models: claude, gpt, primary, backup, slow, sim");
    expect(server.requests).toHaveLength(0);

    const json = await runInProcess(["--json", "ask", "-m", "nope", "hello"], { cwd: made.dir });
    expect(json.code).toBe(2);
    expect(parseJson(json)).toMatchObject({
      success: false,
      error: {
        code: "usage",
        message: 'unknown model "nope"',
        hint: expect.stringContaining("claude, gpt"),
      },
    });
  });

  it("moves to --fallback models when a model fails", async () => {
    // xAI answers a wrong key with a 400, as the real API does.
    server.enqueueFor("xai", errors.xai.invalidApiKey());
    server.enqueueFor("google", { kind: "reply", text: "From the backup." });

    const human = await ask(["--models", "primary", "--fallback", "backup", "hello"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/── backup .* · after primary \(auth\)/);
    expect(human.stdout).toContain("From the backup.");

    server.enqueueFor("xai", errors.xai.invalidApiKey());
    const json = await runInProcess(["--json", "ask", "-m", "primary", "-f", "backup", "hello"], {
      cwd: made.dir,
    });
    expect(parseJson(json)).toMatchObject({
      success: true,
      results: [{ model: "backup", fallbacks: [{ model: "primary", kind: "auth", attempts: 1 }] }],
      failures: [],
    });
  });

  it("gives up on a silent model after --timeout", async () => {
    server.setDefault({ kind: "hang" });
    const startedAt = Date.now();
    const run = await runInProcess(["--json", "ask", "-m", "slow", "--timeout", "300ms", "hello"], {
      cwd: made.dir,
    });
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(run.code).toBe(1);
    expect(parseJson(run)).toMatchObject({
      success: false,
      results: [],
      failures: [{ model: "slow", error: { kind: "timeout", retryable: true }, attempts: 1 }],
    });
    expect(server.requestsFor("openai-compatible")).toHaveLength(1);
  });

  it("reads the prompt from stdin with -, and refuses an empty one", async () => {
    const piped = await ask(["-m", "claude", "-"], "Piped question\n");
    expect(piped.code).toBe(0);
    expect(JSON.stringify(server.requests[0]?.body)).toContain("Piped question");

    const empty = await ask(["-m", "claude", "-"], "  \n");
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("stdin was empty");
  });

  it("exits 2 on bad usage: no prompt, a bad duration, an unknown flag", async () => {
    expect((await ask([])).code).toBe(2);
    const badTimeout = await ask(["--timeout", "soon", "hello"]);
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toContain('--timeout: "soon" is not a duration');
    const unknown = await runInProcess(["--json", "ask", "--bogus", "hello"], { cwd: made.dir });
    expect(unknown.code).toBe(2);
    expect(parseJson(unknown)).toMatchObject({ success: false, error: { code: "usage" } });
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a duration without a unit, and zero, on every duration flag (exit 2, no call)", async () => {
    const cases: [string[], string][] = [
      [["ask", "--timeout", "30", "hello"], '--timeout: "30" has no unit'],
      [["ask", "--deadline", "5", "hello"], '--deadline: "5" has no unit'],
      [["ask", "--timeout", "0", "hello"], "--timeout"],
      [["ask", "--deadline", "0s", "hello"], '--deadline: "0s" is zero'],
      [["models", "test", "--timeout", "20"], '--timeout: "20" has no unit'],
      [["usage", "--since", "24"], '--since: "24" has no unit'],
      [["audit", "--since", "1"], '--since: "1" has no unit'],
      [["audit", "export", "--since", "1"], '--since: "1" has no unit'],
    ];
    for (const [args, message] of cases) {
      const run = await runInProcess(args, { cwd: made.dir });
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toContain(message);
    }
    const hinted = await ask(["--timeout", "30", "hello"]);
    expect(hinted.stderr).toContain("--timeout 30s");
    expect(server.requests).toHaveLength(0);
  });

  it("reports a bad flag value before opening the store", async () => {
    const unreachable = { ORKESTRA_STORE: "postgres://orkestra@127.0.0.1:9/orkestra" };
    for (const flags of [
      ["--timeout", "soon"],
      ["--max-tokens", "0"],
      ["--models", "a,,b"],
    ]) {
      const run = await runInProcess(["ask", ...flags, "hello"], {
        cwd: made.dir,
        env: unreachable,
      });
      expect(run.code, flags.join(" ")).toBe(2);
      expect(run.stderr).not.toContain("127.0.0.1:9");
    }
  });
});
