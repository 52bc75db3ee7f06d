import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clockOffset } from "./queue-clock.js";
import { busyShare } from "./queue-machine-cpu.js";
import { type DrainResult, drainRate } from "./queue-measure.js";
import { idleTable, type QueueSample, targetLines, throughputTable } from "./queue-report.js";
import { serverCpuSpent } from "./queue-server-cpu.js";
import { QUEUE_SIDE_NAMES, queueSidesFrom } from "./queue-sides.js";
import { queueSchemaName } from "./queue-targets.js";

const drain = (overrides: Partial<DrainResult>): DrainResult => ({
  workers: 4,
  jobs: 1000,
  done: 1000,
  wallMs: 100,
  enqueueMs: 20,
  handled: 1000,
  workerCpuUs: 50_000,
  machineBusy: 0.9,
  serverCpuMs: Number.NaN,
  ...overrides,
});

describe("clockOffset", () => {
  it("takes the ping with the shortest round trip and its midpoint", () => {
    const offset = clockOffset([
      { sentAt: 0, workerAt: 9, receivedAt: 10 },
      { sentAt: 100, workerAt: 103.5, receivedAt: 102 },
      { sentAt: 200, workerAt: 210, receivedAt: 206 },
    ]);
    assert.equal(offset.offsetMs, 2.5);
    assert.equal(offset.uncertaintyMs, 1);
  });

  it("refuses no pings", () => {
    assert.throws(() => clockOffset([]), /at least one ping/);
  });
});

describe("drainRate", () => {
  it("counts completed jobs over the wall time", () => {
    assert.equal(drainRate(drain({ done: 500, wallMs: 250 })), 2000);
  });

  it("has no figure when nothing was picked up", () => {
    assert.ok(Number.isNaN(drainRate(drain({ done: 0, wallMs: Number.NaN }))));
  });
});

describe("busyShare", () => {
  it("is the busy part of the ticks between two readings", () => {
    assert.equal(busyShare({ busy: 100, total: 400 }, { busy: 175, total: 500 }), 0.75);
    assert.ok(Number.isNaN(busyShare(undefined, { busy: 1, total: 2 })));
  });
});

describe("queue sides", () => {
  it("takes every side by default and refuses unknown names", () => {
    assert.deepEqual(queueSidesFrom(undefined), QUEUE_SIDE_NAMES);
    assert.deepEqual(queueSidesFrom(" pg-boss:tuned "), ["pg-boss:tuned"]);
    assert.throws(() => queueSidesFrom("bullmq"), /unknown side "bullmq".*known: graphile/);
  });

  it("names schemas PostgreSQL takes unquoted, short enough for prepared-statement names", () => {
    assert.match(
      queueSchemaName("graphile-worker:tuned", 2, 7),
      /^bq_\d+_2_7_graphile_worker_tuned$/,
    );
    const long = queueSchemaName("graphile-worker:defaults", 12, 1234);
    assert.ok(long.length <= 44, long);
    assert.match(long, /^bq_\d+_12_1234_graphile_worker_defaults$/);
  });
});

describe("queue report", () => {
  const measured = (samples: Record<string, QueueSample[][]>) => ({
    sides: Object.keys(samples),
    runs: 2,
    rounds: 1,
    hostsPerRun: 1,
    samples: new Map(Object.entries(samples)),
  });

  it("says when a drain was cut and when handlers ran more often than jobs completed", () => {
    const table = throughputTable(
      measured({
        slow: [
          [{ drains: { 4: drain({ done: 8, handled: 10, wallMs: 4000 }) } }],
          [{ drains: { 4: drain({ done: 9, wallMs: 4000 }) } }],
        ],
        twice: [[{ drains: { 4: drain({ handled: 1003 }) } }], [{ drains: { 4: drain({}) } }]],
      }),
      [
        { side: "slow", workers: [4] },
        { side: "twice", workers: [4] },
      ],
    );
    // A cut drain's handlers may have started jobs not yet completed: no duplicates claimed.
    assert.match(table, /slow\s+4\s+2 \[2, 2\].*8 of 1,000 \(cut\)$/m);
    assert.match(table, /twice\s+4\s+10,000 \[10,000, 10,000\].*all; 3 handler starts over done/);
  });

  it("gives the server's CPU per job where the backends were found, n/a where not", () => {
    const table = throughputTable(
      measured({
        timed: [[{ drains: { 4: drain({ serverCpuMs: 30 }) } }]],
        untimed: [[{ drains: { 4: drain({}) } }]],
      }),
      [
        { side: "timed", workers: [4] },
        { side: "untimed", workers: [4] },
      ],
    );
    assert.match(table, /timed\s+4\s+10,000 \[10,000, 10,000\]\s+50 \[50, 50\]\s+30 \[30, 30\]/);
    assert.match(table, /untimed\s+4\s+10,000 \[10,000, 10,000\]\s+50 \[50, 50\]\s+n\/a/);
  });

  it("gives idle percentiles per round and the sample counts", () => {
    const latencies = Array.from({ length: 100 }, (_, index) => index + 1);
    const table = idleTable(
      measured({
        side: [
          [{ drains: {}, idle: { latenciesMs: latencies, enqueueMs: [2, 2, 2], timeouts: 0 } }],
          [
            {
              drains: {},
              idle: {
                latenciesMs: latencies.map((value) => value * 2),
                enqueueMs: [4],
                timeouts: 1,
              },
            },
          ],
        ],
      }),
      ["side"],
    );
    assert.match(table, /side\s+75\.0 \[50\.0, 100\]\s+149 \[99\.0, 198\]/);
    assert.match(table, /100–100, 1 timed out/);
  });

  it("has verdicts only once Orkestra's side is measured", () => {
    const peersOnly = measured({ "graphile-worker:tuned": [[{ drains: { 4: drain({}) } }]] });
    assert.deepEqual(targetLines(peersOnly), []);
    const withOurs = measured({
      "orkestra:postgres": [
        [
          {
            drains: { 4: drain({ wallMs: 50 }) },
            idle: { latenciesMs: [3, 4, 5], enqueueMs: [], timeouts: 0 },
          },
        ],
      ],
      "graphile-worker:tuned": [[{ drains: { 4: drain({}) } }]],
    });
    const lines = targetLines(withOurs).join("\n");
    assert.match(lines, /20,000 \[20,000, 20,000\] jobs\/s; target ≥ 10,200: MET/);
    assert.match(lines, /graphile-worker:tuned jobs\/s \(paired by round\): 2\.00×.*MET/);
    assert.match(lines, /p99: 5\.0 \[5\.0, 5\.0\] ms; target ≤ 10 ms: MET/);
  });
});

describe("serverCpuSpent", () => {
  it("adds each backend's CPU since the first reading; one that came later counts whole", () => {
    const before = new Map([
      [10, 100],
      [11, 50],
    ]);
    const after = new Map([
      [10, 130],
      [11, 50],
      [12, 7],
    ]);
    assert.equal(serverCpuSpent(before, after), 37);
  });

  it("is NaN when no backend was seen (a library that names its connections itself)", () => {
    assert.ok(Number.isNaN(serverCpuSpent(new Map(), new Map())));
  });
});
