import { describe, expect, it } from "vitest";
import { createTestGateway } from "../support/test-gateway.js";

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
}

describe("gateway resources", () => {
  it("leaves no timer behind once calls end, whatever their deadline", async () => {
    const { gateway } = createTestGateway({
      models: { sim: { provider: "simulated", latencyMs: 0 } },
      gateway: { deadlineMs: 600_000, attemptTimeoutMs: 300_000 },
    });
    const before = activeTimers();
    await Promise.all(
      Array.from({ length: 50 }, () => gateway.generate({ model: "sim", prompt: "hi" })),
    );
    const stream = gateway.stream({ model: "sim", prompt: "hi" });
    await stream.result;
    const caller = new AbortController();
    await gateway.generate({ model: "sim", prompt: "hi", signal: caller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    expect(activeTimers()).toBeLessThanOrEqual(before);
  });
});
