import { expect, it } from "vitest";
import {
  type EngineTables,
  getRun,
  type RunTable,
  runWorkflow,
  workflow,
} from "../../src/engine/index.js";
import { groupCommitterFor } from "../../src/engine/run/group-commit.js";
import { EMPTY_CHAIN } from "../../src/engine/run/integrity-chain.js";
import type { RunWrite } from "../../src/engine/store/run-batch.js";
import type { Store } from "../../src/store/index.js";
import { describeEachStore } from "../helpers/stores.js";

/** Counts the batches the store's group committer writes from now on (each is one transaction). */
function countBatches(store: Store): { readonly count: number } {
  const { stats } = groupCommitterFor(store);
  const before = stats.batches;
  return {
    get count() {
      return stats.batches - before;
    },
  };
}

function runRow(id: string, owner: string): RunTable {
  const now = Date.now();
  return {
    id,
    workflow: "batch",
    definition_hash: "hash",
    source: "builder:batch",
    inputs_json: "{}",
    status: "running",
    iteration: 0,
    stop_reason: null,
    budget_usd: null,
    deadline_at: null,
    concurrency: 4,
    cost_usd: 0,
    commit_count: 0,
    state_hash: EMPTY_CHAIN,
    lease_owner: owner,
    fencing_token: 1,
    lease_expires_at: now + 10_000,
    parent_run_id: null,
    parent_step: null,
    created_at: now,
    started_at: now,
    finished_at: null,
    state_json: null,
    error_json: null,
  };
}

function claimWrite(runId: string, owner: string, token: number, attemptId: string): RunWrite {
  return {
    claim: { runId, owner, token },
    fence: { commitCount: 0, chainHead: EMPTY_CHAIN },
    claims: [{ id: attemptId, step_id: "s1", iteration: 0, attempt: 1, started_at: Date.now() }],
  };
}

const noOp = async () => null;
const chain = workflow("chain")
  .step("s1", { run: noOp })
  .step("s2", { needs: ["s1"], run: noOp })
  .step("s3", { needs: ["s2"], run: noOp })
  .build();

describeEachStore("group commit", (fixture) => {
  const attempts = () =>
    fixture.store.db
      .withTables<EngineTables>()
      .selectFrom("step_attempts")
      .select(["id", "run_id", "status"])
      .orderBy("id")
      .execute();

  it("lands the writes of several runs in one batch; a fenced write fails alone", async () => {
    const committer = groupCommitterFor(fixture.store);
    await Promise.all([
      committer.submit({
        claim: { runId: "r1", owner: "me", token: 1 },
        insert: runRow("r1", "me"),
        claims: [],
      }),
      committer.submit({
        claim: { runId: "r2", owner: "me", token: 1 },
        insert: runRow("r2", "me"),
        claims: [],
      }),
    ]);
    const batches = countBatches(fixture.store);

    const results = await Promise.all([
      committer.submit(claimWrite("r1", "me", 1, "a1")),
      // Another process took r2 over (token 2): this claim must not land, and must not fail r1's.
      committer.submit(claimWrite("r2", "me", 0, "a2")),
    ]);

    expect(results).toEqual([{ written: true, status: "running" }, { written: false }]);
    expect(batches.count).toBe(1);
    expect(await attempts()).toEqual([{ id: "a1", run_id: "r1", status: "running" }]);
  });

  it("a write the store refuses fails alone: the others of its batch are written again one by one", async () => {
    const committer = groupCommitterFor(fixture.store);
    await Promise.all(
      ["r1", "r2", "r3"].map((id) =>
        committer.submit({
          claim: { runId: id, owner: "me", token: 1 },
          insert: runRow(id, "me"),
          claims: [],
        }),
      ),
    );
    await committer.submit(claimWrite("r1", "me", 1, "taken"));

    const settled = await Promise.allSettled([
      committer.submit(claimWrite("r2", "me", 1, "a2")),
      // The same attempt id again: a primary-key violation, which fails the whole first transaction.
      committer.submit(claimWrite("r3", "me", 1, "taken")),
    ]);

    expect(settled[0]).toEqual({
      status: "fulfilled",
      value: { written: true, status: "running" },
    });
    expect(settled[1]).toMatchObject({ status: "rejected", reason: { name: "StoreError" } });
    expect((await attempts()).map((row) => row.id)).toEqual(["a2", "taken"]);
  });

  it("a 3-step run alone writes four batches: the run with its first claim, then one per step", async () => {
    const batches = countBatches(fixture.store);
    const summary = await runWorkflow(chain, { store: fixture.store });
    expect(summary.status).toBe("succeeded");
    expect(batches.count).toBe(4);
    const run = await fixture.store.db
      .withTables<EngineTables>()
      .selectFrom("runs")
      .select(["status", "commit_count", "lease_owner", "lease_expires_at", "state_json"])
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({
      status: "succeeded",
      commit_count: 3,
      lease_owner: null,
      lease_expires_at: null,
      state_json: "{}",
    });
  });

  it("16 runs at once share their batches, and each ends as if it had run alone", async () => {
    const batches = countBatches(fixture.store);
    const summaries = await Promise.all(
      Array.from({ length: 16 }, () => runWorkflow(chain, { store: fixture.store })),
    );
    expect(summaries.every((summary) => summary.status === "succeeded")).toBe(true);
    // 16 runs × 4 writes, alone 64 transactions; in lockstep about 4.
    expect(batches.count).toBeLessThanOrEqual(16);
    for (const summary of summaries) {
      expect(await getRun(fixture.store, summary.runId, chain)).toEqual(summary);
    }
  });
});

describeEachStore("a new run's summary", (fixture) => {
  it("made from what the driver wrote, equals the run read back from the store", async () => {
    let calls = 0;
    const definition = workflow("rich")
      .state("log", { reducer: "append" })
      .state("score", { reducer: "replace", scope: "iteration" })
      .step("draft", {
        run: (context) => `draft ${context.iteration}`,
        writes: { log: (scope) => scope.output?.text },
      })
      .step("flaky", {
        needs: ["draft"],
        retries: 1,
        onFailure: "continue",
        run: () => {
          calls += 1;
          throw new Error(`down ${calls}`);
        },
      })
      .step("primary", {
        needs: ["draft"],
        onFailure: { fallback: "backup" },
        run: () => {
          throw new Error("primary down");
        },
      })
      .step("backup", { run: () => "from backup" })
      .step("skipped", { needs: ["draft"], when: () => false, run: () => "never" })
      .step("judge", {
        needs: ["flaky", "primary", "skipped"],
        run: (context) => context.iteration * 0.5,
        writes: { score: (scope) => scope.output?.object, log: () => "judged" },
      })
      .loop({ maxIterations: 3, until: (scope) => Number(scope.state.score) >= 0.5 })
      .build();

    const reads: string[] = [];
    const store = await fixture.open({
      onQuery: ({ sql }) => {
        if (/^select/i.test(sql)) reads.push(sql);
      },
    });
    reads.length = 0; // the migration check of opening
    const summary = await runWorkflow(definition, {
      store,
      concurrency: 2,
      retryBackoffMs: 1,
      pollIntervalMs: 60_000,
    });
    // Nothing was read back: the summary is the driver's own.
    expect(reads).toEqual([]);

    expect(summary).toMatchObject({ status: "succeeded", stopReason: "until" });
    expect(summary.iterations.map((entry) => entry.iteration)).toEqual([0, 1]);
    expect(summary.steps.find((step) => step.id === "flaky")).toMatchObject({
      status: "failed",
      attempts: 2,
    });
    expect(await getRun(fixture.store, summary.runId, definition)).toEqual(summary);
  });
});
