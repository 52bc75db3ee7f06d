/**
 * Where a `.cpuprofile` spent its time: self time by area (Orkestra's src/, the AI SDK, zod,
 * undici, Node internals, GC), the top functions by self time, Orkestra's own functions by
 * self time and by "own" time (self plus the Node built-ins they call directly, such as
 * AbortSignal.timeout, but not the libraries they call), with the built-ins broken down.
 * With a call count, times are also given per call. Idle time is left out of every share.
 * Under tsx every function sits on line 1; profile the compiled dist/ for line numbers.
 *
 *   SIDE_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=.profile" BENCH_SIDES=gateway BENCH_RUNS=1 \
 *     node --expose-gc --import tsx bench/gateway-overhead.ts
 *   node --import tsx bench/cpu-profile-summary.ts .profile/<file>.cpuprofile [calls]
 */
import { readFile } from "node:fs/promises";
import { formatMicroseconds, formatTable } from "./format-table.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [path, callsArgument] = process.argv.slice(2);
if (!path) {
  console.error("usage: cpu-profile-summary.ts <file.cpuprofile> [calls]");
  process.exit(2);
}
const calls = callsArgument === undefined ? undefined : Number(callsArgument);
const profile = JSON.parse(await readFile(path, "utf8")) as CpuProfile;

const selfUs = new Map<number, number>();
profile.samples.forEach((nodeId, index) => {
  selfUs.set(nodeId, (selfUs.get(nodeId) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parentOf.set(child, node.id);

function shortUrl(url: string): string {
  const withoutQuery = url.replace(/\?.*$/, "");
  if (withoutQuery.includes("node_modules/")) return withoutQuery.replace(/^.*node_modules\//, "");
  return withoutQuery.replace(/^file:\/\/.*?\/(src|dist|bench)\//, "$1/");
}

function keyOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName === "" ? "(anonymous)" : functionName;
  return url === "" ? name : `${name} ${shortUrl(url)}:${lineNumber + 1}`;
}

function areaOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  if (url.includes("node_modules")) return areaOfPackage(url);
  if (/\/(src|dist)\/[^/]/.test(url)) return "orkestra src/";
  if (/\/bench\/[^/]/.test(url)) return "bench/";
  if (url.includes("undici")) return "undici (fetch)";
  if (url.startsWith("node:")) return "node internals";
  return "other";
}

function areaOfPackage(url: string): string {
  if (url.includes("@ai-sdk/")) return "@ai-sdk";
  if (url.includes("node_modules/zod")) return "zod";
  if (url.includes("node_modules/kysely")) return "kysely";
  if (url.includes("node_modules/better-sqlite3")) return "better-sqlite3";
  if (url.includes("node_modules/pino")) return "pino";
  return `npm ${shortUrl(url).split("/")[0] ?? ""}`;
}

const total = [...selfUs.values()].reduce((sum, value) => sum + value, 0);
const idle = [...selfUs].reduce(
  (sum, [id, value]) => (byId.get(id)?.callFrame.functionName === "(idle)" ? sum + value : sum),
  0,
);
const busy = total - idle;

function row(label: string, microseconds: number): string[] {
  const cells = [
    label,
    (microseconds / 1000).toFixed(1),
    `${((microseconds / busy) * 100).toFixed(1)}%`,
  ];
  if (calls !== undefined) cells.push(formatMicroseconds(microseconds / calls));
  return cells;
}
const header = (first: string): string[] =>
  calls === undefined ? [first, "ms", "% busy"] : [first, "ms", "% busy", "µs/call"];

function sumBy(keyFor: (node: ProfileNode) => string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const [id, value] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const key = keyFor(node);
    sums.set(key, (sums.get(key) ?? 0) + value);
  }
  return sums;
}

/** Time with the function on the stack, each sample counted once per function (recursion). */
function inclusiveBy(include: (node: ProfileNode) => boolean): Map<string, number> {
  const sums = new Map<string, number>();
  for (const [id, value] of selfUs) {
    const seen = new Set<string>();
    for (
      let current: number | undefined = id;
      current !== undefined;
      current = parentOf.get(current)
    ) {
      const node = byId.get(current);
      if (!node || !include(node)) continue;
      const key = keyOf(node);
      if (seen.has(key)) continue;
      seen.add(key);
      sums.set(key, (sums.get(key) ?? 0) + value);
    }
  }
  return sums;
}

const top = (sums: Map<string, number>, count: number): [string, number][] =>
  [...sums]
    .filter(([key]) => key !== "(idle)")
    .sort((left, right) => right[1] - left[1])
    .slice(0, count);
const isOrkestra = (node: ProfileNode): boolean =>
  /\/(src|dist)\/[^/]/.test(node.callFrame.url) && !node.callFrame.url.includes("node_modules");
const isLibrary = (node: ProfileNode): boolean =>
  node.callFrame.url.includes("node_modules") || node.callFrame.url.includes("undici");

/**
 * Each sample goes to the innermost Orkestra function on its stack, unless a library frame lies
 * between them (then it is the library's time). `callees` splits it by the frame called.
 */
function ownTime(): { own: Map<string, number>; callees: Map<string, Map<string, number>> } {
  const own = new Map<string, number>();
  const callees = new Map<string, Map<string, number>>();
  for (const [id, value] of selfUs) {
    let below: ProfileNode | undefined;
    for (
      let current: number | undefined = id;
      current !== undefined;
      current = parentOf.get(current)
    ) {
      const node = byId.get(current);
      if (!node || isLibrary(node)) break;
      if (isOrkestra(node)) {
        const key = keyOf(node);
        own.set(key, (own.get(key) ?? 0) + value);
        const callee = below ? keyOf(below) : "(self)";
        const split = callees.get(key) ?? new Map<string, number>();
        split.set(callee, (split.get(callee) ?? 0) + value);
        callees.set(key, split);
        break;
      }
      below = node;
    }
  }
  return { own, callees };
}

console.log(
  `${path}: ${(total / 1000).toFixed(0)} ms sampled, ${(busy / 1000).toFixed(0)} ms busy` +
    (calls === undefined ? "" : `, ${calls} calls`),
);
console.log(
  `\nself time by area\n${formatTable(
    header("area"),
    top(sumBy(areaOf), 20).map(([key, value]) => row(key, value)),
  )}`,
);
console.log(
  `\ntop functions by self time\n${formatTable(
    header("function"),
    top(sumBy(keyOf), 30).map(([key, value]) => row(key, value)),
  )}`,
);
const orkestraSelf = sumBy((node) => (isOrkestra(node) ? keyOf(node) : "(not Orkestra)"));
orkestraSelf.delete("(not Orkestra)");
console.log(
  `\nOrkestra src/ by self time\n${formatTable(
    header("function"),
    top(orkestraSelf, 20).map(([key, value]) => row(key, value)),
  )}`,
);

const { own, callees } = ownTime();
const ownTotal = [...own.values()].reduce((sum, value) => sum + value, 0);
console.log(
  `\nOrkestra src/ by own time (self + Node built-ins called directly): ${(ownTotal / 1000).toFixed(1)} ms` +
    (calls === undefined ? "" : `, ${formatMicroseconds(ownTotal / calls)} µs/call`),
);
console.log(
  formatTable(
    header("function"),
    top(own, 15).map(([key, value]) => row(key, value)),
  ),
);
for (const [key] of top(own, 6)) {
  const split = callees.get(key);
  if (!split) continue;
  console.log(`\n  ${key}: where its own time went`);
  console.log(
    formatTable(
      header("called"),
      top(split, 8).map(([callee, value]) => row(callee, value)),
    ),
  );
}
console.log(
  `\nOrkestra src/ by total time (libraries included)\n${formatTable(
    header("function"),
    top(inclusiveBy(isOrkestra), 15).map(([key, value]) => row(key, value)),
  )}`,
);
