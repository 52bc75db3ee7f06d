import { describe, expect, it } from "vitest";
import { sleep } from "./abortable-sleep.js";

describe("sleep", () => {
  it("resolves after the delay", async () => {
    const started = performance.now();
    await sleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it("rejects promptly with the signal's reason when aborted", async () => {
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    const started = performance.now();
    const sleeping = sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(reason), 10);
    await expect(sleeping).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("rejects at once when the signal has already aborted", async () => {
    const signal = AbortSignal.abort();
    await expect(sleep(10_000, signal)).rejects.toMatchObject({ name: "AbortError" });
  });

  it("clears its timer on abort so the process can exit", async () => {
    const controller = new AbortController();
    const before = process.getActiveResourcesInfo().filter((name) => name === "Timeout").length;
    const sleeping = sleep(60_000, controller.signal);
    expect(process.getActiveResourcesInfo().filter((name) => name === "Timeout").length).toBe(
      before + 1,
    );
    controller.abort();
    await sleeping.catch(() => undefined);
    expect(process.getActiveResourcesInfo().filter((name) => name === "Timeout").length).toBe(
      before,
    );
  });

  it("removes its abort listener once it resolves", async () => {
    const controller = new AbortController();
    await sleep(1, controller.signal);
    // An abort after the sleep ended must not reject anything (no unhandled rejection).
    controller.abort();
  });

  it("treats a negative delay as none and refuses one setTimeout cannot keep", async () => {
    await expect(sleep(-5)).resolves.toBeUndefined();
    await expect(sleep(Number.NaN)).rejects.toBeInstanceOf(RangeError);
    await expect(sleep(2 ** 31)).rejects.toBeInstanceOf(RangeError);
  });
});
