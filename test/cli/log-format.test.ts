import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logLines, makeWorkspace, runInProcess, type Workspace } from "./cli-harness.js";

/** Logs on stderr follow stdout's audience: lines for people, JSON for --json or LOG_FORMAT=json. */

let made: Workspace;

beforeAll(async () => {
  made = await makeWorkspace({
    models: {
      // Fails its one attempt: a warning line, then the answer from the fallback.
      broken: { provider: "simulated", latencyMs: 1, retries: 0, failures: { server: 1 } },
      steady: { provider: "simulated", latencyMs: 1 },
    },
  });
});

afterAll(() => made.remove());

const ask = (args: string[], env: Record<string, string> = {}) =>
  runInProcess([...args, "ask", "-m", "broken", "-f", "steady", "hi"], { cwd: made.dir, env });

describe("log lines on stderr that is not a terminal", () => {
  it("are one pretty line per record next to human output", async () => {
    const run = await ask([]);
    expect(run.code).toBe(0);
    const lines = run.stderr.trimEnd().split("\n");
    expect(logLines(run.stderr)).toEqual([]);
    expect(lines.some((line) => /WARN: \[broken\] broken \(simulated\): server/.test(line))).toBe(
      true,
    );
    // Fields stay on the record's own line.
    expect(lines.every((line) => !/^\s+\w+: /.test(line))).toBe(true);
  });

  it("are JSON with --json or LOG_FORMAT=json", async () => {
    for (const run of [await ask(["--json"]), await ask([], { LOG_FORMAT: "json" })]) {
      expect(logLines(run.stderr)).toContainEqual(
        expect.objectContaining({ level: 40, model: "broken", kind: "server" }),
      );
    }
  });

  it("refuses an unknown LOG_FORMAT with exit 2, naming the values", async () => {
    const run = await ask([], { LOG_FORMAT: "xml" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("LOG_FORMAT=xml is not a log format");
    expect(run.stderr).toContain("json, pretty");
  });
});
