/**
 * The signal set-ups `abort-signals.ts` compares, and the child process that runs one of them
 * (SIGNAL_PATTERN) on each order it receives.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { collectGarbage, runCalls } from "./run-calls.js";

export const PATTERN_NAMES = [
  "no signal (loop only)",
  "timeout+any (today)",
  "controller+cleared timer",
  "timeout+any, caller signal",
  "controller, caller signal",
] as const;
export type PatternName = (typeof PATTERN_NAMES)[number];

export interface PatternRun {
  calls: number;
  cpuUs: number;
  gcMs: number;
  /** After the run and full collections. */
  heapUsedBytes: number;
}

/** gateway.deadlineMs and gateway.attemptTimeoutMs defaults. */
const DEADLINE_MS = 300_000;
const ATTEMPT_TIMEOUT_MS = 60_000;
/** A caller's signal that never fires, shared by every call, as a long-lived Ctrl-C signal is. */
const callerController = new AbortController();

/** Stands in for the provider call: the signal must survive a turn of the event loop. */
async function inFlightWith(signal: AbortSignal | undefined): Promise<void> {
  await nextTurn();
  if (signal?.aborted) throw new Error("aborted");
}

/** Today's gateway: AbortSignal.timeout twice, AbortSignal.any once or twice. */
function timeoutAndAny(withCaller: boolean): () => Promise<void> {
  return async () => {
    const deadline = AbortSignal.timeout(DEADLINE_MS);
    const callSignal = withCaller ? AbortSignal.any([callerController.signal, deadline]) : deadline;
    const attempt = AbortSignal.timeout(ATTEMPT_TIMEOUT_MS);
    await inFlightWith(AbortSignal.any([callSignal, attempt]));
  };
}

/**
 * One controller and one timer per attempt: the timer covers the smaller of the attempt timeout
 * and the time left before the deadline, and is cleared when the attempt ends; the caller's
 * signal is followed with a listener removed at the end.
 */
function controllerAndClearedTimer(withCaller: boolean): () => Promise<void> {
  return async () => {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error("timeout")),
      Math.min(ATTEMPT_TIMEOUT_MS, DEADLINE_MS),
    );
    const caller = callerController.signal;
    const onAbort = (): void => controller.abort(caller.reason);
    if (withCaller) caller.addEventListener("abort", onAbort, { once: true });
    try {
      await inFlightWith(controller.signal);
    } finally {
      clearTimeout(timer);
      if (withCaller) caller.removeEventListener("abort", onAbort);
    }
  };
}

const patterns: Record<PatternName, () => Promise<void>> = {
  "no signal (loop only)": () => inFlightWith(undefined),
  "timeout+any (today)": timeoutAndAny(false),
  "controller+cleared timer": controllerAndClearedTimer(false),
  "timeout+any, caller signal": timeoutAndAny(true),
  "controller, caller signal": controllerAndClearedTimer(true),
};

const selected = process.env.SIGNAL_PATTERN as PatternName | undefined;
if (selected !== undefined && process.send) {
  const call = patterns[selected];
  process.on("message", (order: { calls: number; inFlight: number }) => {
    void runCalls(call, order.calls, order.inFlight).then(async (run) => {
      await collectGarbage();
      const reply: PatternRun = {
        calls: order.calls,
        cpuUs: run.cpuUs,
        gcMs: run.gcMs,
        heapUsedBytes: process.memoryUsage().heapUsed,
      };
      process.send?.(reply);
    });
  });
}
