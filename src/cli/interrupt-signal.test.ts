import { afterEach, describe, expect, it, vi } from "vitest";
import { withInterrupt } from "./interrupt-signal.js";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("withInterrupt", () => {
  it("aborts on Ctrl-C, takes an immediate repeat as the same one, and ends on a later one", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const kill = vi.spyOn(process, "kill").mockImplementation(() => true);
    const listenersBefore = process.listenerCount("SIGINT");

    await withInterrupt(async (signal) => {
      process.emit("SIGINT", "SIGINT");
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toMatchObject({ name: "UsageError", message: "interrupted (Ctrl-C)" });

      // The same Ctrl-C, forwarded by the Node 20 shim a moment after the terminal sent it.
      vi.advanceTimersByTime(20);
      process.emit("SIGINT", "SIGINT");
      expect(kill).not.toHaveBeenCalled();

      // A second Ctrl-C of the user's own: the default way, which ends the process.
      vi.advanceTimersByTime(1_000);
      process.emit("SIGINT", "SIGINT");
      expect(kill).toHaveBeenCalledWith(process.pid, "SIGINT");
    });

    expect(process.listenerCount("SIGINT")).toBe(listenersBefore);
  });
});
