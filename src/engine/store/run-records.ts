import type { Store } from "../../store/index.js";
import { WorkflowError } from "../workflow-error.js";
import { engineDb, engineTransaction } from "./engine-db.js";
import type { RunTable, StepAttemptTable } from "./engine-tables.js";

export type RunStatus =
  | "queued"
  | "running"
  | "waiting"
  | "paused"
  | "succeeded"
  | "failed"
  | "cancelled";

export type StepStatus =
  | "pending"
  | "running"
  | "succeeded"
  | "failed"
  | "skipped"
  | "waiting"
  | "cancelled";

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ["succeeded", "failed", "cancelled"];

export function isTerminal(status: string): boolean {
  return (TERMINAL_RUN_STATUSES as readonly string[]).includes(status);
}

/** Who drives a run and the fencing token of that claim. */
export interface RunClaim {
  runId: string;
  owner: string;
  token: number;
}

export async function insertRun(store: Store, row: RunTable): Promise<void> {
  await engineDb(store).insertInto("runs").values(row).execute();
}

export async function findRun(store: Store, runId: string): Promise<RunTable | undefined> {
  return engineDb(store).selectFrom("runs").selectAll().where("id", "=", runId).executeTakeFirst();
}

export async function requireRun(store: Store, runId: string): Promise<RunTable> {
  const run = await findRun(store, runId);
  if (!run) {
    throw new WorkflowError(`no run "${runId}" in ${store.displayUrl}`, {
      code: "workflow.not_found",
      hint: "List runs with: orkestra runs",
    });
  }
  return run;
}

/** Committed attempts in commit order, and the uncommitted ones (claimed, never committed). */
export async function loadAttempts(store: Store, runId: string): Promise<StepAttemptTable[]> {
  return engineDb(store)
    .selectFrom("step_attempts")
    .selectAll()
    .where("run_id", "=", runId)
    .orderBy("commit_seq")
    .orderBy("started_at")
    .execute();
}

/** The error of a driver whose claim another process has taken over. */
export function leaseLost(claim: RunClaim): WorkflowError {
  return new WorkflowError(
    `run ${claim.runId}: another process took the run over (fencing token ${claim.token} is stale)`,
    { code: "workflow.lease_lost", hint: "Only one process drives a run at a time." },
  );
}

/** Records the claim of one step attempt; the run's fencing token is checked in the same transaction. */
export async function claimAttempt(
  store: Store,
  claim: RunClaim,
  row: Pick<StepAttemptTable, "id" | "step_id" | "iteration" | "attempt" | "started_at">,
): Promise<void> {
  await engineTransaction(store, async (trx) => {
    let query = trx
      .selectFrom("runs")
      .select("id")
      .where("id", "=", claim.runId)
      .where("fencing_token", "=", claim.token);
    if (store.capabilities.rowLocks) query = query.forShare();
    if (!(await query.executeTakeFirst())) throw leaseLost(claim);
    await trx
      .insertInto("step_attempts")
      .values({
        ...row,
        run_id: claim.runId,
        status: "running",
        output_json: null,
        delta_json: null,
        error_json: null,
        finished_at: null,
        input_tokens: 0,
        output_tokens: 0,
        cost_usd: 0,
        model: null,
        lease_owner: claim.owner,
        fencing_token: claim.token,
        commit_seq: null,
        chain_hash: null,
      })
      .execute();
  });
}

/** What one finished attempt commits. */
export interface AttemptCommit {
  attemptId: string;
  status: StepStatus;
  outputJson: string | null;
  deltaJson: string | null;
  errorJson: string | null;
  finishedAt: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  model: string | null;
  commitSeq: number;
  chainHash: string;
}

/**
 * Commits one attempt in one transaction: the run row advances its commit sequence, chain head
 * and cost only if the claim's fencing token is still current and no other commit came in
 * between; then the attempt row gets its result. Nothing else is rewritten.
 */
export async function commitAttempt(
  store: Store,
  claim: RunClaim,
  commit: AttemptCommit,
): Promise<void> {
  await engineTransaction(store, async (trx) => {
    const advanced = await trx
      .updateTable("runs")
      .set((expression) => ({
        commit_count: commit.commitSeq,
        state_hash: commit.chainHash,
        cost_usd: expression("cost_usd", "+", commit.costUsd),
      }))
      .where("id", "=", claim.runId)
      .where("fencing_token", "=", claim.token)
      .where("commit_count", "=", commit.commitSeq - 1)
      .executeTakeFirst();
    if (Number(advanced.numUpdatedRows) === 0) throw leaseLost(claim);
    await trx
      .updateTable("step_attempts")
      .set({
        status: commit.status,
        output_json: commit.outputJson,
        delta_json: commit.deltaJson,
        error_json: commit.errorJson,
        finished_at: commit.finishedAt,
        input_tokens: commit.inputTokens,
        output_tokens: commit.outputTokens,
        cost_usd: commit.costUsd,
        model: commit.model,
        commit_seq: commit.commitSeq,
        chain_hash: commit.chainHash,
      })
      .where("id", "=", commit.attemptId)
      .execute();
  });
}

/** Marks an attempt that is not a commit (waiting for a person, or abandoned by a dead process). */
export async function markAttempt(
  store: Store,
  attemptId: string,
  status: StepStatus,
  errorJson: string | null = null,
  finishedAt: number | null = null,
): Promise<void> {
  await engineDb(store)
    .updateTable("step_attempts")
    .set({ status, error_json: errorJson, finished_at: finishedAt })
    .where("id", "=", attemptId)
    .where("commit_seq", "is", null)
    .execute();
}

/** Sets the run's status while the claim holds, never over an ended run (a cancel wins). */
export async function updateRun(
  store: Store,
  claim: RunClaim,
  values: Partial<
    Pick<
      RunTable,
      | "status"
      | "stop_reason"
      | "finished_at"
      | "error_json"
      | "state_json"
      | "iteration"
      | "deadline_at"
    >
  >,
): Promise<boolean> {
  const result = await engineDb(store)
    .updateTable("runs")
    .set(values)
    .where("id", "=", claim.runId)
    .where("fencing_token", "=", claim.token)
    .where("status", "not in", [...TERMINAL_RUN_STATUSES])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The end of a loop iteration: its score, and the run moves to the next, in one transaction. */
export async function endIteration(
  store: Store,
  claim: RunClaim,
  iteration: number,
  score: number | null,
  at: number,
  next: boolean,
): Promise<void> {
  await engineTransaction(store, async (trx) => {
    await trx
      .insertInto("run_iterations")
      .values({ run_id: claim.runId, iteration, score, finished_at: at })
      .onConflict((conflict) => conflict.columns(["run_id", "iteration"]).doNothing())
      .execute();
    if (!next) return;
    const moved = await trx
      .updateTable("runs")
      .set({ iteration: iteration + 1 })
      .where("id", "=", claim.runId)
      .where("fencing_token", "=", claim.token)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) throw leaseLost(claim);
  });
}

export async function loadIterations(
  store: Store,
  runId: string,
): Promise<{ iteration: number; score: number | null }[]> {
  const rows = await engineDb(store)
    .selectFrom("run_iterations")
    .select(["iteration", "score"])
    .where("run_id", "=", runId)
    .orderBy("iteration")
    .execute();
  return rows.map((row) => ({
    iteration: Number(row.iteration),
    score: row.score === null ? null : Number(row.score),
  }));
}

export async function readRunStatus(store: Store, runId: string): Promise<string | undefined> {
  const row = await engineDb(store)
    .selectFrom("runs")
    .select("status")
    .where("id", "=", runId)
    .executeTakeFirst();
  return row?.status;
}

/** The child run a sub-workflow step started in an earlier attempt or process, if any. */
export async function findChildRun(
  store: Store,
  parentRunId: string,
  parentStep: string,
): Promise<RunTable | undefined> {
  return engineDb(store)
    .selectFrom("runs")
    .selectAll()
    .where("parent_run_id", "=", parentRunId)
    .where("parent_step", "=", parentStep)
    .orderBy("created_at", "desc")
    .executeTakeFirst();
}
