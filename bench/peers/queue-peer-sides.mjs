/**
 * The graphile-worker and pg-boss sides of bench/queue.ts, each at its defaults and at its best
 * settings, in JavaScript so that Orkestra's typecheck does not need these packages (they live
 * in bench/peers/node_modules only); the types are in queue-peer-sides.d.mts. Each side is a
 * `QueueSideAdapter` (bench/queue-side.ts): `setup` in the bench process, `startWorker` in each
 * worker process. The job: task/queue `noop`, payload `{ seq }`, a handler that only reports
 * its start.
 *
 * The settings, and where they come from (read in the installed versions' typings):
 * - graphile-worker "tuned" is the configuration of graphile-worker's own performance page
 *   (worker.graphile.org/docs/performance: `concurrentJobs: 24`, `maxPoolSize: 25`,
 *   `localQueue: { size: 500 }`, `completeJobBatchDelay: 0`, `failJobBatchDelay: 0`). Its
 *   defaults: one job at a time, no local queue, no batching, `pollInterval` 2 s, LISTEN/NOTIFY
 *   always on (`add_job` notifies `jobs:insert`).
 * - pg-boss 12.35 "tuned": `useListenNotify` with the queue's `notify: true` (off by default:
 *   idle workers poll every `pollingIntervalSeconds`, 2 s), fetches of `batchSize` jobs with
 *   `burstWhenBatchFull` (fetch again at once while batches come back full; without it a worker
 *   waits out its polling interval after every fetch, even a full one), `localConcurrency`
 *   fetch loops per process, `pollingIntervalSeconds` at its minimum, 0.5. A batch is one
 *   handler call whose jobs complete together when it resolves: 1,000 is best for no-op jobs
 *   (tried on 2 busy cores, 50,000 jobs, 4 processes: batchSize 100 ≈ 7,000 jobs/s, 500 ≈
 *   15,000–21,000, 1,000 ≈ 18,000–26,000, 2,000 ≈ 23,000–34,000, but then the 8 fetch loops
 *   take 16,000 of a 20,000-job drain in their first fetches: that measures the drain's size,
 *   not the queue), not for real work, where a batch's jobs run one after another.
 * - Tried for graphile-worker the same way: without `completeJobBatchDelay: 0` 5,000–7,000 jobs/s
 *   (with it 26,000–35,000); `concurrentJobs: 8` with `localQueue: { size: 200 }` 17,000–28,000;
 *   `localQueue: { size: 1000 }` 38,000–52,000, within the noise of 500.
 */
import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { Logger, makeWorkerUtils, run, runMigrations } from "graphile-worker";
import { PgBoss } from "pg-boss";

const TASK = "noop";

function versionOf(name) {
  const file = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(file, "utf8")).version;
}

/** Errors only: graphile-worker logs every start and stop at info. */
const quietLogger = new Logger(() => (level, message) => {
  if (level === "error") console.error(`graphile-worker: ${message}`);
});

/**
 * A configuration from the environment (JSON) in place of the one below: to try other settings
 * without editing this file. The tables print whatever was used.
 */
function fromEnvironment(variable, fallback) {
  const raw = process.env[variable];
  if (raw === undefined || raw.trim() === "") return fallback;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new Error(`${variable} must be JSON (${error.message}), got ${raw}`);
  }
}

const seqs = (count) => Array.from({ length: count }, (_, seq) => ({ seq }));

/** `preset.worker` options per configuration; `maxPoolSize` is capped per process by the bench. */
export const GRAPHILE_WORKER_CONFIGS = {
  defaults: {},
  tuned: fromEnvironment("QUEUE_GRAPHILE_WORKER_TUNED", {
    concurrentJobs: 24,
    maxPoolSize: 25,
    localQueue: { size: 500 },
    completeJobBatchDelay: 0,
    failJobBatchDelay: 0,
  }),
};

/** The worker's pool: the configuration's, or the default 10, never above the bench's cap. */
function graphilePoolSize(config, maxConnections) {
  return Math.max(2, Math.min(config.maxPoolSize ?? 10, maxConnections));
}

export function graphileWorkerSide(configName) {
  const config = GRAPHILE_WORKER_CONFIGS[configName];
  if (!config) throw new Error(`no graphile-worker configuration "${configName}"`);
  return {
    label: `graphile-worker ${versionOf("graphile-worker")}, preset.worker ${JSON.stringify(config)}`,
    async setup(target) {
      const options = { connectionString: target.url, schema: target.schema, logger: quietLogger };
      await runMigrations(options);
      const utils = await makeWorkerUtils({ ...options, maxPoolSize: 2 });
      const jobs = `"${target.schema}"._private_jobs`;
      return {
        async enqueueMany(count) {
          // One add_jobs call: one statement, one transaction, one NOTIFY.
          await utils.addJobs(seqs(count).map((payload) => ({ identifier: TASK, payload })));
        },
        async enqueueOne(seq) {
          await utils.addJob(TASK, { seq });
        },
        anyLeft: () =>
          utils.withPgClient(async (client) => {
            const found = await client.query(`select 1 from ${jobs} order by id limit 1`);
            return found.rowCount > 0;
          }),
        remaining: () =>
          utils.withPgClient(async (client) => {
            const counted = await client.query(`select count(*)::int as left from ${jobs}`);
            return counted.rows[0].left;
          }),
        close: () => utils.release(),
      };
    },
    async startWorker(target, { onJobStart, maxConnections }) {
      let listening;
      const listened = new Promise((resolve, reject) => {
        listening = { resolve, reject };
      });
      const events = new EventEmitter();
      events.once("pool:listen:success", () => listening.resolve());
      const runner = await run({
        taskList: {
          [TASK]: async (payload) => {
            onJobStart(payload.seq);
          },
        },
        noHandleSignals: true,
        logger: quietLogger,
        events,
        preset: {
          worker: {
            ...config,
            connectionString: target.url,
            schema: target.schema,
            maxPoolSize: graphilePoolSize(config, maxConnections),
          },
        },
      });
      const timer = setTimeout(
        () => listening.reject(new Error("graphile-worker did not LISTEN within 10 s")),
        10_000,
      );
      await listened.finally(() => clearTimeout(timer));
      return { stop: () => runner.stop() };
    },
  };
}

/**
 * Per configuration: constructor options, the queue's options and `work()` options. `max` (the
 * pool, default 10) is capped per process by the bench.
 */
export const PG_BOSS_CONFIGS = {
  defaults: { constructor: {}, queue: {}, work: {} },
  tuned: fromEnvironment("QUEUE_PG_BOSS_TUNED", {
    constructor: { useListenNotify: true },
    queue: { notify: true },
    work: {
      batchSize: 1000,
      burstWhenBatchFull: true,
      localConcurrency: 2,
      pollingIntervalSeconds: 0.5,
    },
  }),
};

function newBoss(target, options) {
  const boss = new PgBoss({ connectionString: target.url, schema: target.schema, ...options });
  boss.on("error", (error) => console.error(`pg-boss: ${error.stack ?? error}`));
  return boss;
}

export function pgBossSide(configName) {
  const config = PG_BOSS_CONFIGS[configName];
  if (!config) throw new Error(`no pg-boss configuration "${configName}"`);
  return {
    label: `pg-boss ${versionOf("pg-boss")}, new PgBoss(${JSON.stringify(config.constructor)}), createQueue(${JSON.stringify(config.queue)}), work(${JSON.stringify(config.work)})`,
    async setup(target) {
      // The bench's own instance only enqueues: no maintenance or cron loops of its own.
      const boss = newBoss(target, { max: 2, supervise: false, schedule: false });
      await boss.start();
      await boss.createQueue(TASK, config.queue);
      const db = boss.getDb();
      const table = `"${target.schema}".job`;
      return {
        async enqueueMany(count) {
          // One insert(): one statement (json_to_recordset), one transaction.
          await boss.insert(
            TASK,
            seqs(count).map((data) => ({ data })),
          );
        },
        async enqueueOne(seq) {
          await boss.send(TASK, { seq });
        },
        async anyLeft() {
          const found = await db.executeSql(
            `select 1 from ${table} where name = $1 and state < 'completed' limit 1`,
            [TASK],
          );
          return found.rows.length > 0;
        },
        async remaining() {
          const counted = await db.executeSql(
            `select count(*)::int as left from ${table} where name = $1 and state < 'completed'`,
            [TASK],
          );
          return counted.rows[0].left;
        },
        close: () => boss.stop({ graceful: false }),
      };
    },
    async startWorker(target, { onJobStart, maxConnections }) {
      const boss = newBoss(target, {
        ...config.constructor,
        max: Math.max(2, Math.min(config.constructor.max ?? 10, maxConnections)),
      });
      await boss.start();
      await boss.work(TASK, config.work, async (jobs) => {
        for (const job of jobs) onJobStart(job.data.seq);
      });
      return { stop: () => boss.stop({ graceful: true, timeout: 10_000 }) };
    },
  };
}
