import { type PerformanceEntry, PerformanceObserver } from "node:perf_hooks";

let totalMs = 0;
const add = (entries: readonly PerformanceEntry[]): void => {
  for (const entry of entries) totalMs += entry.duration;
};
const observer = new PerformanceObserver((list) => add(list.getEntries()));
observer.observe({ entryTypes: ["gc"] });

/** Milliseconds of garbage-collection pauses on the main thread since this module loaded. */
export function gcPauseMs(): number {
  add(observer.takeRecords());
  return totalMs;
}
