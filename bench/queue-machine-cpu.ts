import { readFileSync } from "node:fs";

/** The machine's CPU time counters (all cores, all processes), from /proc/stat. */
export interface MachineCpu {
  busy: number;
  total: number;
}

/** Now; undefined off Linux. */
export function machineCpu(): MachineCpu | undefined {
  if (process.platform !== "linux") return undefined;
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guests are in user)
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * The share of all cores that were busy (any process: the workers, PostgreSQL, other sessions)
 * between two readings, 0–1; NaN when unknown. Near 1 means the figure is CPU-bound here.
 */
export function busyShare(before: MachineCpu | undefined, after: MachineCpu | undefined): number {
  if (!before || !after || after.total === before.total) return Number.NaN;
  return (after.busy - before.busy) / (after.total - before.total);
}
