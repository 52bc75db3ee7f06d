/**
 * A probe of Orkestra's queue on one store, in one process: drains QUEUE_JOBS no-op tasks with
 * PROBE_WORKERS Workers (settings from QUEUE_ORKESTRA_TUNED), the tasks added while they wait,
 * and prints the drain's rate, the process's CPU and the server CPU of the workers'
 * PostgreSQL backends per task, the statements the workers ran by kind (count per task, total
 * time), and each worker's claims and commits. For profiling (`node --cpu-prof`, `perf record
 * -p <backend pids>`); bench/queue.ts is the comparison.
 *
 *   node --import tsx bench/queue-probe.ts [postgres|sqlite]
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addTasks, queueDb, Worker } from "../src/queue/index.js";
import type { StoreQueryEvent } from "../src/store/index.js";
import { openOrkestraStore } from "../src/store-schema.js";
import { envNumber } from "./env-number.js";
import { createPostgresSchema, dropPostgresSchema } from "./postgres-schema.js";
import { ORKESTRA_CONFIGS, orkestraStoreUrl } from "./queue-orkestra-side.js";
import { ServerCpuProbe, serverCpuSpent, WORKER_APPLICATION_PREFIX } from "./queue-server-cpu.js";
import type { QueueTarget } from "./queue-side.js";
import { queuePostgresUrl } from "./queue-targets.js";

const storeKind = process.argv[2] === "sqlite" ? "sqlite" : "postgres";
const jobs = envNumber("QUEUE_JOBS", 20_000);
const workerCount = envNumber("PROBE_WORKERS", 1);
const schema = `bq_probe_${process.pid}`;
const target: QueueTarget =
  storeKind === "sqlite"
    ? { store: "sqlite", file: join(await mkdtemp(join(tmpdir(), "orkestra-probe-")), "q.db") }
    : { store: "postgres", url: queuePostgresUrl(), schema };
if (target.store === "postgres") await createPostgresSchema(target.url, target.schema);

const statements = new Map<string, { count: number; ms: number }>();
const kindOf = (text: string): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  if (/^with candidates/.test(flat)) return "claim";
  if (/^with (done|input)/.test(flat)) return "complete (successes)";
  if (/^update tasks set status = 'ready'/.test(flat)) return "promote due";
  if (/min\("run_at"\)|min\(run_at\)/.test(flat)) return "next due";
  return flat.slice(0, 60);
};
const onQuery = (event: StoreQueryEvent) => {
  const kind = kindOf(event.sql);
  const entry = statements.get(kind) ?? { count: 0, ms: 0 };
  entry.count += 1;
  entry.ms += event.durationMs;
  statements.set(kind, entry);
};

const producer = await openOrkestraStore(
  orkestraStoreUrl(target),
  target.store === "sqlite" ? { onQuery } : {},
);
// The workers' connections are named as the bench's worker processes name theirs, so the
// server CPU of their backends is read the same way (queue-server-cpu.ts).
const workerUrl = (): string => {
  const url = new URL(orkestraStoreUrl(target));
  if (target.store === "postgres") {
    url.searchParams.set("application_name", `${WORKER_APPLICATION_PREFIX}probe_${process.pid}`);
  }
  return url.toString();
};
// On SQLite the workers share one store with the producer: two connections to one file in one
// process deadlock until the busy timeout, since better-sqlite3's busy wait blocks the event
// loop that the connection holding the write lock needs to finish its transaction.
const stores =
  target.store === "sqlite"
    ? [producer]
    : await Promise.all(
        Array.from({ length: workerCount }, () =>
          openOrkestraStore(workerUrl(), { migrate: false, onQuery }),
        ),
      );
const serverCpu = target.store === "postgres" ? await ServerCpuProbe.open(target.url) : undefined;
let handled = 0;
const workers = stores.map(
  (store) =>
    new Worker({
      ...ORKESTRA_CONFIGS.tuned,
      store,
      queues: ["bench"],
      handlers: {
        noop: () => {
          handled += 1;
        },
      },
    }),
);
for (const worker of workers) await worker.start();
statements.clear();
const cpuBefore = await serverCpu?.read();
const addStarted = performance.now();
await addTasks(
  producer,
  Array.from({ length: jobs }, (_, seq) => ({
    title: `noop ${seq}`,
    kind: "noop",
    queue: "bench",
    payload: { seq },
  })),
);
const addedAt = performance.now();
statements.clear(); // the add's own statements (SQLite: the same store) are not the workers'
while (handled < jobs) await new Promise((resolve) => setTimeout(resolve, 2));
for (;;) {
  const row = await queueDb(producer)
    .selectFrom("tasks")
    .select((expression) => expression.fn.countAll<number>().as("n"))
    .where("status", "=", "succeeded")
    .executeTakeFirstOrThrow();
  if (Number(row.n) >= jobs) break;
  await new Promise((resolve) => setTimeout(resolve, 2));
}
const doneAt = performance.now();
const cpu = process.cpuUsage();
const cpuAfter = await serverCpu?.read();
const serverMs = cpuBefore && cpuAfter ? serverCpuSpent(cpuBefore, cpuAfter) : Number.NaN;
await serverCpu?.close();
for (const worker of workers) {
  const stats = worker.stats;
  console.log(
    `worker: ${stats.claimed} claimed in ${stats.claimBatches} claims, ${stats.commitBatches} commits (largest ${stats.largestCommitBatch})`,
  );
  await worker.stop();
}
console.log(
  `${storeKind}, ${workers.length} worker(s) in one process: add ${(addedAt - addStarted).toFixed(0)} ms, ` +
    `drain ${(doneAt - addedAt).toFixed(0)} ms = ${Math.round((jobs / (doneAt - addedAt)) * 1000)} tasks/s; ` +
    `process CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms; the workers' PostgreSQL backends ` +
    `${serverMs.toFixed(0)} ms = ${Math.round((serverMs * 1000) / jobs)} µs/task`,
);
for (const [kind, entry] of [...statements].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(
    `  ${kind.padEnd(62)} ${String(entry.count).padStart(6)} (${(entry.count / jobs).toFixed(3)}/task) ${entry.ms.toFixed(0).padStart(6)} ms`,
  );
}
for (const store of stores) await store.close();
await producer.close();
if (target.store === "postgres") await dropPostgresSchema(target.url, target.schema);
