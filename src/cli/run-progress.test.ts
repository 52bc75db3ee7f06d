import { describe, expect, it } from "vitest";
import { RunEmitter } from "../engine/index.js";
import { CliContext } from "./cli-context.js";
import { TextSink } from "./cli-io.js";
import { eventLine, showProgress } from "./run-progress.js";

function contextWith(stdout: TextSink): CliContext {
  return new CliContext(
    { stdout, stderr: new TextSink(), stdin: process.stdin, env: {}, cwd: "." },
    { json: false, quiet: false },
  );
}

const stepEnd = {
  type: "step:end",
  runId: "r1",
  stepId: "judge",
  kind: "prompt",
  iteration: 0,
  attempt: 1,
  status: "succeeded",
  durationMs: 1234,
  costUsd: 0.0012,
  inputTokens: 10,
  outputTokens: 5,
  model: "claude",
} as const;

describe("run progress", () => {
  it("says each event in one line", () => {
    expect(eventLine(stepEnd)).toBe(
      "step judge succeeded (1.23s · claude · 10→5 tokens · $0.001200)",
    );
    expect(
      eventLine({
        type: "iteration:end",
        runId: "r1",
        iteration: 1,
        score: 0.7,
        stopReason: "until",
      }),
    ).toBe("iteration 1 ended: score 0.7 (stop: until)");
  });

  it("prints lines when stdout is not a terminal", () => {
    const stdout = new TextSink();
    const events = new RunEmitter();
    const stop = showProgress(contextWith(stdout), events);
    events.emit(stepEnd);
    stop();
    expect(stdout.text()).toBe("step judge succeeded (1.23s · claude · 10→5 tokens · $0.001200)\n");
  });

  it("redraws a table of steps in place on a terminal", () => {
    const stdout = Object.assign(new TextSink(), { isTTY: true, columns: 100, rows: 40 });
    const events = new RunEmitter();
    const stop = showProgress(contextWith(stdout), events);
    events.emit({
      type: "run:start",
      runId: "r1",
      workflow: "review",
      resumed: false,
      iteration: 0,
    });
    events.emit({
      type: "step:start",
      runId: "r1",
      stepId: "judge",
      kind: "prompt",
      iteration: 0,
      attempt: 1,
    });
    events.emit(stepEnd);
    stop();
    const text = stdout.text();
    expect(text).toContain("review · run r1");
    expect(text).toMatch(/✔ judge\s+succeeded\s+1\.23s · claude · 15 tokens · \$0\.001200/);
    expect(text).toContain("\u001b["); // cursor movement: redrawn, not appended
  });
});
