import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}

const ticksPerSecond = process.platform === "linux" ? clockTicksPerSecond() : 100;

/**
 * User plus system CPU of every child process this one has waited for (and of theirs), ms,
 * from /proc/self/stat (`cutime` + `cstime`, in clock ticks: 10 ms steps). NaN off Linux.
 * Unlike wall time it does not grow while other processes hold the cores.
 */
export function waitedChildrenCpuMs(): number {
  if (process.platform !== "linux") return Number.NaN;
  const stat = readFileSync("/proc/self/stat", "utf8");
  // Fields after the command name, which is in parentheses and may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const childUser = Number(fields[13]);
  const childSystem = Number(fields[14]);
  return ((childUser + childSystem) * 1000) / ticksPerSecond;
}
