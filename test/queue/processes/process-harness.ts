import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import type { ServedQueue } from "../../../src/cli/worker-runtime.js";
import { listWorkers } from "../../../src/queue/worker/worker-registry.js";
import type { Store } from "../../../src/store/index.js";
import { type BundledChild, bundleChildScript } from "../../support/bundle-child-script.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");

/** Bundles the effect worker once (see bundleChildScript). */
export function bundleEffectWorker(): Promise<BundledChild> {
  return bundleChildScript(join(here, "fixtures", "effect-worker.ts"));
}

/** The side-effect tables the effect worker writes (see fixtures/effect-worker.ts). */
export async function createEffectTables(store: Store): Promise<void> {
  const seq =
    store.dialect === "postgres"
      ? sql`bigserial primary key`
      : sql`integer primary key autoincrement`;
  await sql`create table task_starts (
    seq ${seq},
    task_id text not null,
    attempt integer not null,
    worker text not null,
    pid integer not null,
    unique (task_id, attempt))`.execute(store.db);
  await sql`create table task_completions (
    task_id text primary key,
    worker text not null,
    pid integer not null,
    deps_ok integer not null)`.execute(store.db);
}

export interface TaskStart {
  seq: number;
  task_id: string;
  attempt: number;
  worker: string;
  pid: number;
}

/** Every execution logged (payload `logStart`), in start order. */
export async function taskStarts(store: Store): Promise<TaskStart[]> {
  const { rows } = await sql<TaskStart>`select * from task_starts order by seq`.execute(store.db);
  return rows.map((row) => ({
    ...row,
    seq: Number(row.seq),
    attempt: Number(row.attempt),
    pid: Number(row.pid),
  }));
}

export interface TaskCompletion {
  task_id: string;
  worker: string;
  pid: number;
  deps_ok: number;
}

export async function taskCompletions(store: Store): Promise<TaskCompletion[]> {
  const { rows } = await sql<TaskCompletion>`select * from task_completions`.execute(store.db);
  return rows.map((row) => ({ ...row, pid: Number(row.pid), deps_ok: Number(row.deps_ok) }));
}

export async function completionCount(store: Store): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from task_completions`.execute(
    store.db,
  );
  return Number(rows[0]?.n);
}

/** Tasks by status. */
export async function statusCounts(store: Store): Promise<Record<string, number>> {
  const { rows } = await sql<{ status: string; n: number }>`
    select status, count(*) as n from tasks group by status`.execute(store.db);
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
}

/**
 * Polls `condition` every `intervalMs` until it holds; throws after `timeoutMs`. Slower than
 * the suite's waitFor on purpose: these conditions count thousands of rows, and a poll every
 * 10 ms would load the store the workers are measured on.
 */
export async function waitUntil(
  condition: () => Promise<boolean>,
  { timeoutMs = 30_000, intervalMs = 100, what = "the condition" } = {},
): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > giveUpAt) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface WorkerSettings {
  queues?: string[];
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  graceMs?: number;
}

export interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A worker process the test started. */
export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  done: Promise<ChildEnd>;
}

/** Starts `node <script> <args>` with output captured. */
export function startProcess(
  script: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): WorkerProcess {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  const done = new Promise<ChildEnd>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, pid: child.pid as number, done };
}

/** Starts `count` effect workers on `url`. */
export function startEffectWorkers(
  script: string,
  url: string,
  count: number,
  settings: WorkerSettings,
): WorkerProcess[] {
  return Array.from({ length: count }, () => startProcess(script, [url, JSON.stringify(settings)]));
}

/** Waits until every process has registered as a running worker; returns their worker ids by pid. */
export async function waitForWorkers(
  store: Store,
  processes: readonly WorkerProcess[],
  timeoutMs = 30_000,
): Promise<Map<number, string>> {
  const ids = new Map<number, string>();
  await waitUntil(
    async () => {
      for (const worker of await listWorkers(store, { status: ["running"] })) {
        ids.set(worker.pid, worker.id);
      }
      return processes.every((each) => ids.has(each.pid));
    },
    { timeoutMs, intervalMs: 50, what: `${processes.length} workers registered` },
  );
  return ids;
}

/** Sends SIGTERM to each and waits for them all. */
export async function stopAll(processes: readonly WorkerProcess[]): Promise<ChildEnd[]> {
  for (const each of processes) each.child.kill("SIGTERM");
  return Promise.all(processes.map((each) => each.done));
}

/** The JSON line an effect worker prints when it stops. */
export function servedOf(end: ChildEnd): ServedQueue {
  const line = end.stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(line) as ServedQueue;
  } catch {
    throw new Error(
      `the worker printed no result (exit ${end.code}):\n${end.stdout}\n${end.stderr}`,
    );
  }
}

/** Makes sure no child outlives a failed test. */
export function killAll(processes: readonly WorkerProcess[]): void {
  for (const each of processes) {
    if (each.child.exitCode === null && each.child.signalCode === null) each.child.kill("SIGKILL");
  }
}
