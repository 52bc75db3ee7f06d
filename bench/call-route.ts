/**
 * The route of one `generate` call through src/: which files its code runs in, in what order,
 * and how often it comes back to a file it had already left. One warm call on a simulated
 * model with zero latency, once without a store and once with a SQLite store, a ledger and a
 * daily budget. Two measurements, both exact (no sampling):
 *
 * - files run: precise coverage (V8's call counts, reset around the call and its flush) lists
 *   the files of src/ whose functions ran;
 * - the walk: a worker thread attaches the inspector to this (main) thread and sets a
 *   breakpoint on every break location (statement, call, return) of every src/ script; from
 *   a `debugger` just before the call to one after its promise settled, the src/ file of each
 *   pause, in order, consecutive repeats collapsed, is the route: its distinct files, its
 *   file-to-file transitions (library code in between is not a stop) and its returns
 *   (arrivals in a file already left once: visits minus files). Every task counts, so the
 *   ledger's setImmediate write that a budget settle waits for is part of the call.
 *
 *   node --import tsx bench/call-route.ts                # this checkout
 *   ROUTE_ROOT=/path/to/other/checkout node --import tsx bench/call-route.ts
 *   ROUTE_WALK=1 node --import tsx bench/call-route.ts   # also print the walk, file by file
 *   ROUTE_CALL=stream node --import tsx bench/call-route.ts  # a stream call, to its result
 *
 * ROUTE_ROOT names another checkout (an older commit) to measure the same way: the script
 * only uses createGateway, configSchema and openStore, which every version has.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

const root = resolve(process.env.ROUTE_ROOT ?? join(import.meta.dirname, ".."));
const source = join(root, "src");
const printWalk = process.env.ROUTE_WALK === "1";
/** `ROUTE_CALL=stream` walks a `stream` call (to its `result`) instead of a `generate` call. */
const streaming = process.env.ROUTE_CALL === "stream";

interface GatewayLike {
  generate(request: { model: string; prompt: string }): Promise<unknown>;
  stream(request: { model: string; prompt: string }): { result: Promise<unknown> };
  flush(): Promise<void>;
  close(): Promise<void>;
}
interface StoreLike {
  close(): Promise<void>;
}

async function load<Module>(path: string): Promise<Module> {
  return (await import(pathToFileURL(join(source, path)).href)) as Module;
}

async function openStore(url: string): Promise<StoreLike> {
  // Newer checkouts compose every layer's migrations above the store; older ones migrate in it.
  if (existsSync(join(source, "store-schema.ts"))) {
    const { openOrkestraStore } = await load<{
      openOrkestraStore(url: string): Promise<StoreLike>;
    }>("store-schema.ts");
    return openOrkestraStore(url);
  }
  const { openStore: open } = await load<{ openStore(url: string): Promise<StoreLike> }>(
    "store/index.ts",
  );
  return open(url);
}

interface FunctionCoverage {
  ranges: { count: number }[];
}
interface ScriptCoverage {
  url: string;
  functions: FunctionCoverage[];
}

/** Files under src/ whose functions ran since the last take, in no particular order. */
async function filesRun(session: Session): Promise<string[]> {
  const { result } = (await session.post("Profiler.takePreciseCoverage")) as {
    result: ScriptCoverage[];
  };
  const files: string[] = [];
  for (const script of result) {
    if (!script.url.startsWith("file://")) continue;
    const path = fileURLToPath(script.url);
    if (!path.startsWith(source)) continue;
    if (script.functions.some((fn) => (fn.ranges[0]?.count ?? 0) > 0)) {
      files.push(relative(source, path));
    }
  }
  return files.sort();
}

/**
 * The tracer, run in a worker: a paused thread runs no JavaScript of its own, so the main
 * thread cannot trace itself. It puts a breakpoint on every possible break location (each
 * statement, call and return) of every script under src/, then resumes after each pause,
 * noting the script; the `debugger` statements around the call start and end the trace.
 *
 * Breakpoints, not Debugger.stepInto: stepping loses the thread wherever the call continues
 * from a new task or from inside a library (the ledger's setImmediate write, a Kysely query
 * resuming after its driver): stepped, the SQLite run saw 23 files where coverage saw 32.
 */
const TRACER = `
const { parentPort, workerData } = require("node:worker_threads");
const inspector = require("node:inspector");
const session = new inspector.Session();
session.connectToMainThread();
const post = (method, params = {}) =>
  new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );
const urls = [];
// Pauses name their script by id only (CallFrame.url is deprecated and empty here).
const scripts = new Map();
session.on("Debugger.scriptParsed", ({ params }) => scripts.set(params.scriptId, params.url));
let tracing = false;
session.on("Debugger.paused", async ({ params }) => {
  const url = scripts.get(params.callFrames[0].location.scriptId) ?? "";
  if (url === workerData.benchUrl && params.reason === "other") {
    if (!tracing) {
      tracing = true;
      await post("Debugger.resume");
      return;
    }
    await post("Debugger.removeAllBreakpoints").catch(() => {});
    await post("Debugger.disable");
    session.disconnect();
    parentPort.postMessage(urls);
    return;
  }
  if (tracing) urls.push(url);
  await post("Debugger.resume");
});
(async () => {
  await post("Debugger.enable");
  let breakpoints = 0;
  for (const [scriptId, url] of scripts) {
    if (!url.startsWith(workerData.sourceUrl)) continue;
    const { locations } = await post("Debugger.getPossibleBreakpoints", {
      start: { scriptId, lineNumber: 0, columnNumber: 0 },
    });
    for (const location of locations) {
      await post("Debugger.setBreakpoint", { location });
      breakpoints += 1;
    }
  }
  parentPort.postMessage({ breakpoints });
})();
// An inspector session does not keep a worker alive; a port that listens does.
parentPort.on("message", () => {});
`;

/** The script URL of every statement run under src/ during `call`, in order. */
async function traceOf(call: () => Promise<unknown>): Promise<string[]> {
  const worker = new Worker(TRACER, {
    eval: true,
    workerData: { benchUrl: import.meta.url, sourceUrl: `${pathToFileURL(source).href}/` },
  });
  const messages: unknown[] = [];
  let wake: (() => void) | undefined;
  worker.on("message", (message: unknown) => {
    messages.push(message);
    wake?.();
  });
  worker.on("error", (error) => {
    messages.push(error);
    wake?.();
  });
  const next = async (): Promise<unknown> => {
    while (messages.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    const message = messages.shift();
    if (message instanceof Error) throw message;
    return message;
  };
  await next();
  // biome-ignore lint/suspicious/noDebugger: the trace starts here, just before the call
  debugger;
  await call();
  // biome-ignore lint/suspicious/noDebugger: and ends here, once the call has settled
  debugger;
  const urls = (await next()) as string[];
  await worker.terminate();
  return urls;
}

interface Walk {
  /** src/ files in the order the call enters them, consecutive repeats collapsed. */
  visits: string[];
  files: number;
  transitions: number;
  returns: number;
  steps: number;
}

function walkOf(urls: readonly string[]): Walk {
  const visits: string[] = [];
  let steps = 0;
  for (const url of urls) {
    if (!url.startsWith("file://")) continue;
    const path = fileURLToPath(url);
    if (!path.startsWith(source)) continue;
    steps += 1;
    const file = relative(source, path);
    if (visits.at(-1) !== file) visits.push(file);
  }
  const files = new Set(visits).size;
  return {
    visits,
    files,
    transitions: Math.max(0, visits.length - 1),
    returns: visits.length - files,
    steps,
  };
}

async function routeOf(
  withStore: boolean,
  session: Session,
): Promise<{ filesRun: string[]; walk: Walk }> {
  const { configSchema } = await load<{ configSchema: { parse(value: unknown): unknown } }>(
    "config/index.ts",
  );
  const { createGateway } = await load<{
    createGateway(options: { config: unknown; store?: StoreLike }): GatewayLike;
  }>("models/gateway.ts");
  const directory = await mkdtemp(join(tmpdir(), "orkestra-route-"));
  const store = withStore ? await openStore(`sqlite:${join(directory, "route.db")}`) : undefined;
  const config = configSchema.parse({
    models: { sim: { provider: "simulated", latencyMs: [0, 0] } },
    ...(withStore ? { budget: { daily_usd: 100 } } : {}),
  });
  const gateway = createGateway({ config, ...(store ? { store } : {}) });
  const call = (): Promise<unknown> =>
    streaming
      ? gateway.stream({ model: "sim", prompt: "hi" }).result
      : gateway.generate({ model: "sim", prompt: "hi" });
  try {
    // Warm: module loading, provider resolution, first-use caches are not the call's route.
    for (let warm = 0; warm < 3; warm += 1) await call();
    await gateway.flush();
    await filesRun(session);
    await call();
    await gateway.flush();
    const files = await filesRun(session);
    const urls = await traceOf(call);
    await gateway.flush();
    return { filesRun: files, walk: walkOf(urls) };
  } finally {
    await gateway.close();
    await store?.close();
    await rm(directory, { recursive: true, force: true });
  }
}

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: false });

console.log(
  `call-route: one warm ${streaming ? "stream" : "generate"} call on a simulated model, src/ of ${root}`,
);
for (const withStore of [false, true]) {
  const { filesRun: files, walk } = await routeOf(withStore, session);
  const label = withStore ? "with a SQLite store, ledger and budget" : "without a store";
  console.log(
    `\n${label}: walk ${walk.files} files, ${walk.transitions} transitions, ${walk.returns} returns to a file already left (${walk.steps} break locations hit); coverage ${files.length} files run`,
  );
  const walked = new Set(walk.visits);
  for (const file of files) console.log(`  ${walked.has(file) ? " " : "*"} ${file}`);
  if (files.some((file) => !walked.has(file))) {
    console.log("  (* ran in the flush after the call only, outside the walk)");
  }
  if (printWalk) {
    console.log("  walk:");
    walk.visits.forEach((file, index) => {
      const again = walk.visits.indexOf(file) < index ? "  (again)" : "";
      console.log(`    ${String(index + 1).padStart(3)} ${file}${again}`);
    });
  }
}
session.disconnect();
