/**
 * The route of one `generate` call through src/: which files its code runs in, and how often
 * it moves from one file to another. Precise coverage (V8's call counts, reset at each take)
 * is taken around one warm call on a simulated model with zero latency, once without a store
 * and once with a SQLite store, a ledger and a daily budget; the files whose functions ran are
 * the route. A CPU profile cannot see this: one call is shorter than its sampling interval.
 *
 *   node --import tsx bench/call-route.ts                # this checkout
 *   ROUTE_ROOT=/path/to/other/checkout node --import tsx bench/call-route.ts
 *
 * ROUTE_ROOT names another checkout (an older commit) to measure the same way: the script
 * only uses createGateway, configSchema and openStore, which every version has.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(process.env.ROUTE_ROOT ?? join(import.meta.dirname, ".."));
const source = join(root, "src");

interface GatewayLike {
  generate(request: { model: string; prompt: string }): Promise<unknown>;
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
    const path = new URL(script.url).pathname;
    if (!path.startsWith(source)) continue;
    if (script.functions.some((fn) => (fn.ranges[0]?.count ?? 0) > 0)) {
      files.push(relative(source, path));
    }
  }
  return files.sort();
}

async function routeOf(withStore: boolean, session: Session): Promise<string[]> {
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
  try {
    // Warm: module loading, provider resolution, first-use caches are not the call's route.
    for (let warm = 0; warm < 3; warm += 1) await gateway.generate({ model: "sim", prompt: "hi" });
    await gateway.flush();
    await filesRun(session);
    await gateway.generate({ model: "sim", prompt: "hi" });
    await gateway.flush();
    return await filesRun(session);
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

console.log(`call-route: one warm generate call on a simulated model, src/ of ${root}`);
for (const withStore of [false, true]) {
  const files = await routeOf(withStore, session);
  const label = withStore ? "with a SQLite store, ledger and budget" : "without a store";
  console.log(`\n${label}: ${files.length} files`);
  for (const file of files) console.log(`  ${file}`);
}
session.disconnect();
