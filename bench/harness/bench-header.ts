import { execFileSync } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

function git(...args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}

/**
 * The commit measured: short hash, with `+changes` when the work tree differs from it, and the
 * last commit that changed src/ (what the figures are of, when only bench/ moved on since).
 */
export function measuredCommit(): string {
  const commit = git("rev-parse", "--short", "HEAD") || "unknown";
  const clean = git("status", "--porcelain", "--untracked-files=no") === "";
  const source = git("log", "-1", "--format=%h", "--", "src") || "unknown";
  const sourceClean = git("status", "--porcelain", "--untracked-files=no", "--", "src") === "";
  return (
    `${commit}${clean ? "" : "+changes"} ` +
    `(src/ as of ${source}${sourceClean ? "" : ", with uncommitted changes"})`
  );
}

export function loadAverage(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(" ");
}

/**
 * The line every benchmark starts with, so a figure copied anywhere can name what produced it:
 * the command (BENCH_COMMAND, set by `npm run bench`), the commit, the date, Node and the load.
 */
export function benchHeader(title: string, standaloneCommand: string): string {
  const command = process.env.BENCH_COMMAND ?? standaloneCommand;
  return [
    `${title}`,
    `command: ${command} · commit ${measuredCommit()} · ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}`,
    `Node ${process.version} · ${availableParallelism()} cores · load average at the start ${loadAverage()}`,
  ].join("\n");
}
