import type { RawBuilder, Sql } from "kysely";
import type { RunTable, StepAttemptTable } from "./engine-tables.js";
import type { AttemptCommit, RunClaim, RunStatus } from "./run-records.js";

/** An attempt claimed by a write: inserted as `running` under the write's claim. */
export type AttemptClaim = Pick<
  StepAttemptTable,
  "id" | "step_id" | "iteration" | "attempt" | "started_at"
>;

/** The end of a loop iteration, written with the run's chain position. */
export interface IterationEnd {
  iteration: number;
  score: number | null;
  finishedAt: number;
  /** The run moves on to the next iteration. */
  next: boolean;
}

/** The run stops (ended, paused, waiting): unless it has ended already (a cancel wins). */
export interface RunEnd {
  status: RunStatus;
  stopReason: string | null;
  /** Written even over an ended run: `show` reads the state the driver stopped with. */
  stateJson: string;
  errorJson: string | null;
  /** Only for a terminal status. */
  finishedAt: number | null;
}

/**
 * What the group committer writes (run/group-commit.ts): the shapes of a batch, shared by its
 * two writers — run-batch-transaction.ts (a transaction of multi-row statements, any store)
 * and run-batch-statement.ts (one statement over arrays, PostgreSQL).
 *
 * What one run writes in one go, in one transaction with other runs' writes: every part lands
 * or none does. Each write but an insert is fenced by the claim's token and the run's chain
 * position (`commitCount` before the write); a fenced write writes nothing and fails alone.
 */
export interface RunWrite {
  claim: RunClaim;
  /** A new run, inserted already claimed (`claim.token` its first token): nothing to fence. */
  insert?: RunTable;
  /** The run's chain position before this write (every write but an insert). */
  fence?: { commitCount: number; chainHead: string };
  /** One attempt's result; its sequence number and hash become the run's chain head. */
  commit?: AttemptCommit;
  /** Attempts claimed in the same transaction (the steps that this commit makes ready). */
  claims: readonly AttemptClaim[];
  iterationEnd?: IterationEnd;
  /** The run stops; its lease is given up in the same statement. */
  end?: RunEnd;
}

/** Written, with the run's status afterwards; or refused by the fence (another process holds the run). */
export type RunWriteResult = { written: true; status: string } | { written: false };

/** How the advance of a fenced run is written: `v` holds the write's values (ADVANCE_COLUMNS). */
export const ADVANCE_COLUMNS =
  "id, token, seq_before, seq, hash, cost, next_iteration, ends, status, stop_reason, state_json, error_json, finished_at";
export const ADVANCE_TYPES = [
  "text",
  "bigint",
  "integer",
  "integer",
  "text",
  "double precision",
  "integer",
  "integer",
  "text",
  "text",
  "text",
  "text",
  "bigint",
] as const;

/**
 * The fenced advance of each run (`update runs set … from v where …`): chain head, cost,
 * iteration, and the end fields unless the run has ended already (a cancel wins); the lease
 * is given up with the end. The `VALUES` columns are cast because PostgreSQL types them text.
 */
export function advanceRunsSql(sql: Sql): RawBuilder<unknown> {
  const ends = sql`v.ends = 1 and runs.status not in ('succeeded', 'failed', 'cancelled')`;
  return sql`update runs set
  commit_count = v.seq,
  state_hash = v.hash,
  cost_usd = runs.cost_usd + v.cost,
  iteration = coalesce(v.next_iteration, runs.iteration),
  status = case when ${ends} then v.status else runs.status end,
  stop_reason = case when ${ends} then v.stop_reason else runs.stop_reason end,
  error_json = case when ${ends} then v.error_json else runs.error_json end,
  finished_at = case when ${ends} then coalesce(v.finished_at, runs.finished_at) else runs.finished_at end,
  state_json = case when v.ends = 1 then v.state_json else runs.state_json end,
  lease_owner = case when v.ends = 1 then null else runs.lease_owner end,
  lease_expires_at = case when v.ends = 1 then null else runs.lease_expires_at end`;
}

/** Only a run whose fence holds: its claim's token, and its chain where the write expects it. */
export const ADVANCE_WHERE =
  "runs.id = v.id and runs.fencing_token = v.token and runs.commit_count = v.seq_before";

/** How an attempt's commit is written: `v` holds COMMIT_COLUMNS. */
export const COMMIT_COLUMNS =
  "id, status, output_json, delta_json, error_json, finished_at, input_tokens, output_tokens, cost_usd, model, commit_seq, chain_hash";
export const COMMIT_TYPES = [
  "text",
  "text",
  "text",
  "text",
  "text",
  "bigint",
  "bigint",
  "bigint",
  "double precision",
  "text",
  "integer",
  "text",
] as const;
export const COMMIT_SET = `status = v.status,
  output_json = v.output_json,
  delta_json = v.delta_json,
  error_json = v.error_json,
  finished_at = v.finished_at,
  input_tokens = v.input_tokens,
  output_tokens = v.output_tokens,
  cost_usd = v.cost_usd,
  model = v.model,
  commit_seq = v.commit_seq,
  chain_hash = v.chain_hash`;

/** How a claimed attempt is inserted (the other columns keep their defaults). */
export const CLAIM_COLUMNS =
  "id, run_id, step_id, iteration, attempt, started_at, lease_owner, fencing_token, status";
export const CLAIM_TYPES = [
  "text",
  "text",
  "text",
  "integer",
  "integer",
  "bigint",
  "text",
  "bigint",
  "text",
] as const;

/** The columns of a run row and their SQL types, in the order the batch writes them. */
export const RUN_TYPES = {
  id: "text",
  workflow: "text",
  definition_hash: "text",
  source: "text",
  inputs_json: "text",
  status: "text",
  iteration: "integer",
  stop_reason: "text",
  budget_usd: "double precision",
  deadline_at: "bigint",
  concurrency: "integer",
  cost_usd: "double precision",
  commit_count: "integer",
  state_hash: "text",
  lease_owner: "text",
  fencing_token: "bigint",
  lease_expires_at: "bigint",
  parent_run_id: "text",
  parent_step: "text",
  created_at: "bigint",
  started_at: "bigint",
  finished_at: "bigint",
  state_json: "text",
  error_json: "text",
} as const satisfies Record<keyof RunTable, string>;
export const RUN_COLUMNS = Object.keys(RUN_TYPES) as (keyof RunTable)[];

/** How an iteration's end is inserted into run_iterations. */
export const ITERATION_COLUMNS = "run_id, iteration, score, finished_at";
export const ITERATION_TYPES = ["text", "integer", "double precision", "bigint"] as const;

/** The attempts a write claims, as rows of CLAIM_COLUMNS. */
export function claimRows(write: RunWrite): unknown[][] {
  return write.claims.map((claim) => [
    claim.id,
    write.claim.runId,
    claim.step_id,
    claim.iteration,
    claim.attempt,
    claim.started_at,
    write.claim.owner,
    write.claim.token,
    "running",
  ]);
}

/** The iteration a write ends, as a row of run_iterations (none or one). */
export function iterationRows({ claim, iterationEnd: end }: RunWrite): unknown[][] {
  return end ? [[claim.runId, end.iteration, end.score, end.finishedAt]] : [];
}

/** The values of a fenced write's advance, as a row of ADVANCE_COLUMNS. */
export function advanceRow(write: RunWrite): unknown[] {
  const fence = write.fence ?? { commitCount: 0, chainHead: "" };
  const { commit, end, iterationEnd } = write;
  return [
    write.claim.runId,
    write.claim.token,
    fence.commitCount,
    commit ? commit.commitSeq : fence.commitCount,
    commit ? commit.chainHash : fence.chainHead,
    commit ? commit.costUsd : 0,
    iterationEnd?.next ? iterationEnd.iteration + 1 : null,
    end ? 1 : 0,
    end?.status ?? null,
    end?.stopReason ?? null,
    end?.stateJson ?? null,
    end?.errorJson ?? null,
    end?.finishedAt ?? null,
  ];
}

/** An attempt's commit as a row of COMMIT_COLUMNS. */
export function commitRow(commit: AttemptCommit): unknown[] {
  return [
    commit.attemptId,
    commit.status,
    commit.outputJson,
    commit.deltaJson,
    commit.errorJson,
    commit.finishedAt,
    commit.inputTokens,
    commit.outputTokens,
    commit.costUsd,
    commit.model,
    commit.commitSeq,
    commit.chainHash,
  ];
}
