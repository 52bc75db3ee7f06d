/**
 * The queue bench's measurements against the real peers and the real PostgreSQL (skipped, with
 * the reason, when bench/peers/node_modules or the server is missing): small drains and a few
 * idle samples, so that what the tables print is known to count what happened.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { measureDrain, measureIdle, type QueueMeasurement } from "./queue-measure.js";
import { missingQueuePeers, QUEUE_SIDES, type QueueSideName } from "./queue-sides.js";
import { freshQueueTarget, queuePostgresUrl, queueSchemaName } from "./queue-targets.js";
import { type QueueWorkerPool, startQueueWorkerPool } from "./queue-worker-pool.js";

async function postgresMissing(): Promise<string | undefined> {
  const client = new pg.Client({
    connectionString: queuePostgresUrl(),
    connectionTimeoutMillis: 2000,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.end();
    return undefined;
  } catch (error) {
    return `PostgreSQL unreachable: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const skip = missingQueuePeers() ?? (await postgresMissing());
const SIDES: QueueSideName[] = ["graphile-worker:tuned", "pg-boss:tuned"];

describe("queue measurements on the peers", { skip }, () => {
  let pool: QueueWorkerPool;
  let measurements = 0;
  // Dropped once the worker processes are gone (late completions of a stopped worker).
  const drops: (() => Promise<void>)[] = [];
  before(async () => {
    pool = await startQueueWorkerPool(2, 0);
  });
  after(async () => {
    await pool.close();
    for (const drop of drops) await drop();
  });

  async function on<Result>(
    name: QueueSideName,
    work: (measurement: QueueMeasurement) => Promise<Result>,
  ): Promise<Result> {
    measurements += 1;
    const fresh = await freshQueueTarget(
      "postgres",
      queueSchemaName(`test_${name}`, 0, measurements),
    );
    drops.push(fresh.drop);
    const side = await QUEUE_SIDES[name].load();
    return work({ pool, name, side, target: fresh.target, workers: 2, maxConnections: 5 });
  }

  it("measures each worker process's clock offset to well under a millisecond", () => {
    assert.equal(pool.offsets.length, 2);
    for (const offset of pool.offsets)
      assert.ok(Math.abs(offset.offsetMs) < 1, `${offset.offsetMs}`);
  });

  for (const name of SIDES) {
    it(`${name}: a drain completes every job once, timed from the first pickup`, async () => {
      const drain = await on(name, (measurement) =>
        measureDrain(measurement, { jobs: 300, maxMs: 20_000, pollMs: 5 }),
      );
      assert.equal(drain.done, 300);
      assert.equal(drain.handled, 300);
      assert.ok(drain.wallMs > 0 && drain.wallMs < 20_000, `wall ${drain.wallMs}`);
      assert.ok(drain.workerCpuUs > 0);
    });

    it(`${name}: idle samples are each one job's enqueue-to-handler time`, async () => {
      const idle = await on(name, (measurement) =>
        measureIdle(measurement, {
          samples: 5,
          warmup: 1,
          spacingMs: 5,
          timeoutMs: 5000,
          maxMs: 20_000,
        }),
      );
      assert.equal(idle.timeouts, 0);
      assert.equal(idle.latenciesMs.length, 5);
      assert.equal(idle.enqueueMs.length, 5);
      // The handler cannot start before the enqueue began: a wrong clock offset would show here.
      for (const latency of idle.latenciesMs)
        assert.ok(latency > 0 && latency < 5000, `${latency}`);
    });
  }

  it("cuts a drain the side cannot finish in time and counts what it completed", async () => {
    const drain = await on("pg-boss:defaults", (measurement) =>
      measureDrain(measurement, { jobs: 50, maxMs: 2500, pollMs: 20 }),
    );
    // pg-boss at its defaults: one job per worker and polling interval (2 s).
    assert.ok(drain.done >= 1 && drain.done < 50, `done ${drain.done}`);
    // Between the count and the stop, each of the 2 workers may start one more job.
    assert.ok(drain.handled >= drain.done && drain.handled <= drain.done + 2, `${drain.handled}`);
  });

  it("keeps its worker processes through a drain cut while the workers complete jobs", async () => {
    const cut = await on("graphile-worker:defaults", (measurement) =>
      measureDrain(measurement, { jobs: 5000, maxMs: 200, pollMs: 20 }),
    );
    assert.ok(cut.done < 5000, `done ${cut.done}`);
    // The stopped workers' late completions went to a schema that still exists: the pool lives.
    const next = await on("graphile-worker:tuned", (measurement) =>
      measureDrain(measurement, { jobs: 100, maxMs: 20_000, pollMs: 5 }),
    );
    assert.equal(next.done, 100);
  });
});
