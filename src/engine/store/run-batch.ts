import { PreparedRowsQuery, type RowCell, type Store } from "../../store/index.js";
import { engineTransaction } from "./engine-db.js";
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

/** Rows per statement: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 500;

const as =
  (type: string): RowCell =>
  (value, tag) =>
    tag`cast(${value} as ${tag.raw(type)})`;
const plain: RowCell = (value) => value;
const TEXT = as("text");
const BIGINT = as("bigint");
const INTEGER = as("integer");
const DOUBLE = as("double precision");

/**
 * The fenced advance of each run: chain head, cost, iteration, and the end fields when the run
 * has not ended already. `RETURNING` says which runs the fence let through, and their status.
 * The `VALUES` columns are cast because PostgreSQL types them text otherwise.
 */
const advanceRuns = new PreparedRowsQuery<{ id: string; status: string }>(
  [TEXT, BIGINT, INTEGER, INTEGER, TEXT, DOUBLE, INTEGER, INTEGER, TEXT, TEXT, TEXT, TEXT, BIGINT],
  (rows, sql) => {
    const ends = sql`v.ends = 1 and runs.status not in ('succeeded', 'failed', 'cancelled')`;
    return sql`with v (id, token, seq_before, seq, hash, cost, next_iteration, ends, status, stop_reason, state_json, error_json, finished_at) as (values ${rows})
update runs set
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
  lease_expires_at = case when v.ends = 1 then null else runs.lease_expires_at end
from v
where runs.id = v.id and runs.fencing_token = v.token and runs.commit_count = v.seq_before
returning runs.id, runs.status`;
  },
);

const commitAttempts = new PreparedRowsQuery<never>(
  [TEXT, TEXT, TEXT, TEXT, TEXT, BIGINT, BIGINT, BIGINT, DOUBLE, TEXT, INTEGER, TEXT],
  (
    rows,
    sql,
  ) => sql`with v (id, status, output_json, delta_json, error_json, finished_at, input_tokens, output_tokens, cost_usd, model, commit_seq, chain_hash) as (values ${rows})
update step_attempts set
  status = v.status,
  output_json = v.output_json,
  delta_json = v.delta_json,
  error_json = v.error_json,
  finished_at = v.finished_at,
  input_tokens = v.input_tokens,
  output_tokens = v.output_tokens,
  cost_usd = v.cost_usd,
  model = v.model,
  commit_seq = v.commit_seq,
  chain_hash = v.chain_hash
from v
where step_attempts.id = v.id`,
);

const insertClaims = new PreparedRowsQuery<never>(
  Array.from({ length: 9 }, () => plain),
  (rows, sql) => sql`insert into step_attempts
  (id, run_id, step_id, iteration, attempt, started_at, lease_owner, fencing_token, status)
  values ${rows}`,
);

const RUN_COLUMNS = [
  "id",
  "workflow",
  "definition_hash",
  "source",
  "inputs_json",
  "status",
  "iteration",
  "stop_reason",
  "budget_usd",
  "deadline_at",
  "concurrency",
  "cost_usd",
  "commit_count",
  "state_hash",
  "lease_owner",
  "fencing_token",
  "lease_expires_at",
  "parent_run_id",
  "parent_step",
  "created_at",
  "started_at",
  "finished_at",
  "state_json",
  "error_json",
] as const satisfies readonly (keyof RunTable)[];

const insertRuns = new PreparedRowsQuery<never>(
  RUN_COLUMNS.map(() => plain),
  (rows, sql) => sql`insert into runs (${sql.raw(RUN_COLUMNS.join(", "))}) values ${rows}`,
);

const insertIterations = new PreparedRowsQuery<never>(
  [plain, plain, plain, plain],
  (rows, sql) => sql`insert into run_iterations (run_id, iteration, score, finished_at)
  values ${rows}
  on conflict (run_id, iteration) do nothing`,
);

async function inChunks<Item>(
  items: readonly Item[],
  write: (chunk: readonly Item[]) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < items.length; start += ROWS_PER_STATEMENT) {
    await write(items.slice(start, start + ROWS_PER_STATEMENT));
  }
}

/**
 * Writes several runs' writes in one transaction — at most five statements, whatever their
 * number — and says per write whether its fence let it through. A fenced write changes
 * nothing; the others land. An error of the store fails the whole transaction (nothing lands).
 */
export async function writeRuns(
  store: Store,
  writes: readonly RunWrite[],
): Promise<RunWriteResult[]> {
  return engineTransaction(store, async (trx) => {
    const runner = trx;
    const inserts = writes.filter((write) => write.insert !== undefined);
    await inChunks(inserts, async (chunk) => {
      await insertRuns.run(
        runner,
        chunk.map(({ insert }) => RUN_COLUMNS.map((column) => (insert as RunTable)[column])),
      );
    });
    const statusOf = new Map<string, string>();
    for (const { insert } of inserts) if (insert) statusOf.set(insert.id, insert.status);
    // Fenced rows in one order, so two processes' batches lock shared runs alike.
    const fenced = writes
      .filter((write) => write.insert === undefined)
      .sort((a, b) => (a.claim.runId < b.claim.runId ? -1 : 1));
    await inChunks(fenced, async (chunk) => {
      const { rows } = await advanceRuns.run(runner, chunk.map(advanceRow));
      for (const row of rows) statusOf.set(row.id, row.status);
    });
    const written = writes.filter((write) => statusOf.has(write.claim.runId));
    const commits = written.flatMap((write) => (write.commit ? [write.commit] : []));
    await inChunks(commits, async (chunk) => {
      await commitAttempts.run(runner, chunk.map(commitRow));
    });
    const claims = written.flatMap((write) =>
      write.claims.map((claim) => [
        claim.id,
        write.claim.runId,
        claim.step_id,
        claim.iteration,
        claim.attempt,
        claim.started_at,
        write.claim.owner,
        write.claim.token,
        "running",
      ]),
    );
    await inChunks(claims, async (chunk) => {
      await insertClaims.run(runner, chunk);
    });
    const iterations = written.flatMap(({ claim, iterationEnd: end }) =>
      end ? [[claim.runId, end.iteration, end.score, end.finishedAt]] : [],
    );
    await inChunks(iterations, async (chunk) => {
      await insertIterations.run(runner, chunk);
    });
    return writes.map((write): RunWriteResult => {
      const status = statusOf.get(write.claim.runId);
      return status === undefined ? { written: false } : { written: true, status };
    });
  });
}

function advanceRow(write: RunWrite): unknown[] {
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

function commitRow(commit: AttemptCommit): unknown[] {
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
