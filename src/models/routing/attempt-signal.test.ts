import { describe, expect, it } from "vitest";
import { attemptTimeoutMessage, streamIdleTimeoutMessage, TimedSignal } from "./attempt-signal.js";

describe("TimedSignal", () => {
  it("aborts with a TimeoutError when its timer fires, and says so", async () => {
    const timed = new TimedSignal();
    timed.arm(5);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(timed.signal.aborted).toBe(true);
    expect(timed.timedOut).toBe(true);
    expect((timed.signal.reason as DOMException).name).toBe("TimeoutError");
  });

  it("says which timer fired: the message of the one armed last", async () => {
    const timed = new TimedSignal();
    timed.arm(1_000, undefined, attemptTimeoutMessage(1_000));
    timed.arm(5, undefined, streamIdleTimeoutMessage(5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(timed.firedMessage).toBe("no data for 5 ms (gateway.streamIdleTimeoutMs)");
    expect((timed.signal.reason as DOMException).message).toBe(timed.firedMessage);
  });

  it("names the attempt timeout, or the deadline when that was shorter", () => {
    expect(attemptTimeoutMessage(4_000)).toBe("no answer within 4000 ms (attempt timeout)");
    expect(attemptTimeoutMessage(800, true)).toBe(
      "no answer within 800 ms (what was left of the call's deadline)",
    );
  });

  it("follows its parent, which is not a timeout", () => {
    const parent = new AbortController();
    const timed = new TimedSignal(parent.signal);
    timed.arm(1_000);
    parent.abort(new Error("caller gave up"));
    expect(timed.signal.aborted).toBe(true);
    expect(timed.timedOut).toBe(false);
    expect(timed.firedMessage).toBeUndefined();
    expect((timed.signal.reason as Error).message).toBe("caller gave up");
    timed.dispose();
  });

  it("starts aborted under a parent that already is", () => {
    const parent = new AbortController();
    parent.abort("early");
    expect(new TimedSignal(parent.signal).signal.aborted).toBe(true);
  });

  it("lets go of its timer and of its parent once disposed", async () => {
    const parent = new AbortController();
    const timed = new TimedSignal(parent.signal);
    timed.arm(5);
    timed.dispose();
    parent.abort();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(timed.signal.aborted).toBe(false);
    expect(timed.timedOut).toBe(false);
  });
});
