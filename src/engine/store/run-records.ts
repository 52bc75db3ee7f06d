import type { Store } from "../../store/index.js";
import { WorkflowError } from "../workflow-error.js";
import { engineDb } from "./engine-db.js";
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
