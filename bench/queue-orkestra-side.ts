/**
 * Orkestra's queue as a side of bench/queue.ts (`queue-side.ts`): tasks of kind `noop` with
 * payload `{ seq }` in queue `bench`, added with `addTasks` (one transaction for a drain's
 * 20,000), run by a `Worker` per worker process with a handler that only reports its start.
 * The worker is the real one, guarantees and all: every claim takes a lease with a fencing
 * token and records an attempt row, every completion is checked against owner and token in
 * its group commit, heartbeats run, the worker registers. Nothing in src/ knows the bench.
 *
 * Two configurations, each on PostgreSQL and on SQLite:
 * - `defaults`: `new Worker({ store, queues, handlers })` and nothing else (concurrency 10,
 *   claimBatch = concurrency, commitBatch 256, commitDelayMs 2).
 * - `tuned`: the settings below. Tried at 4 worker processes, 2 runs each, paired against
 *   graphile-worker tuned in the same run (2 cores, load 2–4): concurrency = claimBatch 250 with
 *   commitBatch 1000 0.70×; 500 / 500 / 1000 0.88×; 1000 / 1000 / 2000 0.89×; 500 with claimBatch
 *   250 0.78×. Big claims and commits spread each statement's fixed cost over more tasks; 500
 *   does as well as 1000 with half the tasks held per process. commitDelayMs stays at its 2 ms
 *   (a no-op batch is complete long before: the worker flushes when it has nothing running).
 *   QUEUE_ORKESTRA_TUNED takes other settings as JSON (any WorkerOptions number), and the
 *   header prints what ran.
 */
import { sql } from "kysely";
import { addTasks, queueDb, Worker, type WorkerOptions } from "../src/queue/index.js";
import type { Store } from "../src/store/index.js";
import { openOrkestraStore } from "../src/store-schema.js";
import type { QueueProducer, QueueSideAdapter, QueueTarget } from "./queue-side.js";
import type { LoadedQueueSide } from "./queue-sides.js";

const QUEUE = "bench";
const KIND = "noop";

/** The Worker options a configuration sets (the rest at their defaults). */
type WorkerSettings = Pick<
  WorkerOptions,
  "concurrency" | "claimBatch" | "commitBatch" | "commitDelayMs" | "pollMs"
>;

function fromEnvironment(variable: string, fallback: WorkerSettings): WorkerSettings {
  const raw = process.env[variable];
  if (raw === undefined || raw.trim() === "") return fallback;
  try {
    return JSON.parse(raw) as WorkerSettings;
  } catch (error) {
    throw new Error(
      `${variable} must be JSON (${error instanceof Error ? error.message : String(error)}), got ${raw}`,
    );
  }
}

export const ORKESTRA_CONFIGS = {
  defaults: {} as WorkerSettings,
  tuned: fromEnvironment("QUEUE_ORKESTRA_TUNED", {
    concurrency: 500,
    claimBatch: 500,
    commitBatch: 1000,
    commitDelayMs: 2,
  }),
} as const;

export type OrkestraConfigName = keyof typeof ORKESTRA_CONFIGS;

/** The store URL for a bench target: the schema as Orkestra's own `?schema=` parameter. */
export function orkestraStoreUrl(target: QueueTarget): string {
  if (target.store === "sqlite") return `sqlite:${target.file}`;
  const url = new URL(target.url);
  url.searchParams.set("schema", target.schema);
  return url.toString();
}

/**
 * Is any task of the bench's queue not finished? Each branch reads one of the queue's partial
 * indexes (tasks_claim, tasks_lease, tasks_due), so the poll every 10 ms costs the server an
 * index probe, not a scan of the finished rows (the peers' checks are as cheap: graphile-worker
 * deletes finished jobs, pg-boss has an index on name and state).
 */
async function anyUnfinished(store: Store): Promise<boolean> {
  const { rows } = await sql<{ left: number }>`
    select 1 as left where
      exists (select 1 from tasks where status = 'ready' and queue = ${QUEUE})
      or exists (select 1 from tasks where status = 'running')
      or exists (select 1 from tasks where status in ('waiting', 'failed') and pending_deps = 0)`.execute(
    queueDb(store),
  );
  return rows.length > 0;
}

async function producerFor(target: QueueTarget): Promise<QueueProducer> {
  // Creates the schema when missing and applies every migration (the queue's among them).
  const store = await openOrkestraStore(orkestraStoreUrl(target));
  const add = (seqs: number[]) =>
    addTasks(
      store,
      seqs.map((seq) => ({ title: `noop ${seq}`, kind: KIND, queue: QUEUE, payload: { seq } })),
    );
  return {
    async enqueueMany(count) {
      await add(Array.from({ length: count }, (_, seq) => seq));
    },
    async enqueueOne(seq) {
      await add([seq]);
    },
    anyLeft: () => anyUnfinished(store),
    async remaining() {
      const row = await queueDb(store)
        .selectFrom("tasks")
        .select((expression) => expression.fn.countAll<number>().as("left"))
        .where("status", "not in", ["succeeded", "dead", "cancelled", "blocked"])
        .executeTakeFirstOrThrow();
      return Number(row.left);
    },
    close: () => store.close(),
  };
}

function describe(configName: OrkestraConfigName): string {
  const settings = ORKESTRA_CONFIGS[configName];
  const shown =
    Object.keys(settings).length === 0
      ? "{} (concurrency 10, claimBatch 10, commitBatch 256, commitDelayMs 2)"
      : JSON.stringify(settings);
  return `Orkestra queue (src/queue), new Worker(${shown}); leases, fencing tokens and attempt rows kept`;
}

/** Orkestra's side at one configuration; the target (PostgreSQL or SQLite) comes per measurement. */
export function orkestraQueueSide(configName: OrkestraConfigName): LoadedQueueSide {
  const settings = ORKESTRA_CONFIGS[configName];
  const side: QueueSideAdapter = {
    setup: producerFor,
    async startWorker(target, { onJobStart }) {
      // The pool is pg's default (10): the worker uses at most a few at once (one claim, one
      // commit, a heartbeat), and pg opens connections only when all open ones are busy.
      const store = await openOrkestraStore(orkestraStoreUrl(target), { migrate: false });
      const worker = new Worker({
        ...settings,
        store,
        queues: [QUEUE],
        handlers: {
          [KIND]: (task) => {
            onJobStart((task.payload as { seq: number }).seq);
          },
        },
      });
      await worker.start(); // resolves once LISTENing (PostgreSQL) or watching data_version
      if (target.store === "postgres" && !worker.listening) {
        await worker.stop();
        await store.close();
        throw new Error("Orkestra's worker started without its LISTEN connection");
      }
      return {
        async stop() {
          await worker.stop();
          await store.close();
        },
      };
    },
  };
  return { label: describe(configName), ...side };
}
