import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWorkspace, parseJson, runInProcess, type Workspace } from "./cli-harness.js";

/** ARCHITECTURE.md: every model call ends in a ledger row AND an audit event. */

let made: Workspace;

beforeAll(async () => {
  made = await makeWorkspace({
    models: {
      broken: { provider: "simulated", latencyMs: 1, retries: 0, failures: { server: 1 } },
      steady: { provider: "simulated", latencyMs: 1 },
    },
  });
});

afterAll(() => made.remove());

describe("the model:call audit event", () => {
  it("is written once per model tried, with outcome, error kind, tokens and cost", async () => {
    const asked = await runInProcess(["--json", "ask", "-m", "broken", "-f", "steady", "hi"], {
      cwd: made.dir,
    });
    expect(asked.code).toBe(0);
    const audited = await runInProcess(["--json", "audit", "--action", "model:call"], {
      cwd: made.dir,
    });
    const { events } = parseJson(audited) as { events: Record<string, unknown>[] };
    expect(events).toEqual([
      expect.objectContaining({
        action: "model:call",
        actor: expect.stringMatching(/^cli:/),
        resource: "model:broken",
        outcome: "failure",
        data: expect.objectContaining({
          alias: "broken",
          provider: "simulated",
          model: "simulated",
          errorKind: "server",
          attempts: 1,
          simulated: true,
        }),
      }),
      expect.objectContaining({
        resource: "model:steady",
        outcome: "success",
        data: expect.objectContaining({
          alias: "steady",
          tokens: expect.objectContaining({
            input: expect.any(Number),
            output: expect.any(Number),
          }),
          costUsd: 0,
        }),
      }),
    ]);
    // The same calls, the same count, in the ledger.
    const usage = parseJson(await runInProcess(["--json", "usage"], { cwd: made.dir })) as {
      total: { calls: number };
    };
    expect(usage.total.calls).toBe(events.length);
  });
});
