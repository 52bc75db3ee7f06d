import { describe, expect, it } from "vitest";
import { parseWorkerFlags, type WorkerFlags, workerArguments } from "./worker-flags.js";

const DEFAULTS: WorkerFlags = {
  concurrency: "10",
  queues: "default,workflows",
  grace: "30s",
  lease: "30s",
  poll: "1s",
};

describe("orkestra worker's flags", () => {
  it("resolves the defaults", () => {
    expect(parseWorkerFlags(DEFAULTS)).toEqual({
      concurrency: 10,
      queues: ["default", "workflows"],
      agents: undefined,
      processes: 1,
      graceMs: 30_000,
      leaseMs: 30_000,
      pollMs: 1_000,
      once: false,
    });
  });

  it("trims and dedupes lists", () => {
    const settings = parseWorkerFlags({ ...DEFAULTS, queues: " a, b,a ,", agents: "coder" });
    expect(settings.queues).toEqual(["a", "b"]);
    expect(settings.agents).toEqual(["coder"]);
  });

  it("gives each supervised process the same settings, without --processes", () => {
    const settings = parseWorkerFlags({
      ...DEFAULTS,
      concurrency: "3",
      queues: "q1",
      agents: "a,b",
      processes: "4",
      grace: "2s",
      lease: "1500ms",
      poll: "250ms",
      once: true,
    });
    const args = workerArguments(settings);
    expect(args).not.toContain("--processes");
    const [command, ...flags] = args;
    expect(command).toBe("worker");
    const pairs = new Map<string, string>();
    for (let index = 0; index < flags.length; index += 1) {
      const flag = flags[index] as string;
      if (flag === "--once") pairs.set(flag, "true");
      else pairs.set(flag, flags[++index] as string);
    }
    const again = parseWorkerFlags({
      concurrency: pairs.get("--concurrency") as string,
      queues: pairs.get("--queues") as string,
      agents: pairs.get("--agents") as string,
      grace: pairs.get("--grace") as string,
      lease: pairs.get("--lease") as string,
      poll: pairs.get("--poll") as string,
      once: pairs.has("--once"),
    });
    expect(again).toEqual({ ...settings, processes: 1 });
  });

  it.each([
    [{ queues: " , " }, '--queues: " , " names nothing'],
    [{ processes: "-1" }, "--processes: expected a positive whole number"],
    [{ lease: "299ms" }, "--lease: 299ms is shorter than 300ms"],
    [{ poll: "soon" }, '--poll: "soon" is not a duration'],
  ])("refuses %j", (flags, message) => {
    expect(() => parseWorkerFlags({ ...DEFAULTS, ...flags })).toThrow(message);
  });
});
