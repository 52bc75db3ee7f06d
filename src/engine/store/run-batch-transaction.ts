import { PreparedRowsQuery, type RowCell, type Store } from "../../store/index.js";
import { engineTransaction } from "./engine-db.js";
import type { RunTable } from "./engine-tables.js";
import {
  ADVANCE_COLUMNS,
  ADVANCE_TYPES,
  ADVANCE_WHERE,
  advanceRow,
  advanceRunsSql,
  CLAIM_COLUMNS,
  COMMIT_COLUMNS,
  COMMIT_SET,
  COMMIT_TYPES,
  claimRows,
  commitRow,
  ITERATION_COLUMNS,
  iterationRows,
  RUN_COLUMNS,
  type RunWrite,
  type RunWriteResult,
} from "./run-batch.js";

/** Rows per statement: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 500;

/** A cell cast to `type`: PostgreSQL types the columns of a `VALUES` list text otherwise. */
const as =
  (type: string): RowCell =>
  (value, tag) =>
    tag`cast(${value} as ${tag.raw(type)})`;
const plain: RowCell = (value) => value;

const ADVANCE_CELLS = ADVANCE_TYPES.map(as);

/** `RETURNING` says which runs the fence let through, and their status. */
const advanceRuns = new PreparedRowsQuery<{ id: string; status: string }>(
  ADVANCE_CELLS,
  (rows, sql) => sql`with v (${sql.raw(ADVANCE_COLUMNS)}) as (values ${rows})
${advanceRunsSql(sql)}
from v
where ${sql.raw(ADVANCE_WHERE)}
returning runs.id, runs.status`,
);

const COMMIT_CELLS = COMMIT_TYPES.map(as);

const commitAttempts = new PreparedRowsQuery<never>(
  COMMIT_CELLS,
  (rows, sql) => sql`with v (${sql.raw(COMMIT_COLUMNS)}) as (values ${rows})
update step_attempts set ${sql.raw(COMMIT_SET)}
from v
where step_attempts.id = v.id`,
);

const insertClaims = new PreparedRowsQuery<never>(
  Array.from({ length: 9 }, () => plain),
  (rows, sql) => sql`insert into step_attempts (${sql.raw(CLAIM_COLUMNS)}) values ${rows}`,
);

const insertRuns = new PreparedRowsQuery<never>(
  RUN_COLUMNS.map(() => plain),
  (rows, sql) => sql`insert into runs (${sql.raw(RUN_COLUMNS.join(", "))}) values ${rows}`,
);

const insertIterations = new PreparedRowsQuery<never>(
  [plain, plain, plain, plain],
  (rows, sql) => sql`insert into run_iterations (${sql.raw(ITERATION_COLUMNS)})
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
 * A store with data-modifying CTEs and array parameters does the same in one statement
 * (run-batch-statement.ts).
 */
export async function writeRunsInTransaction(
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
    await inChunks(written.flatMap(claimRows), async (chunk) => {
      await insertClaims.run(runner, chunk);
    });
    const iterations = written.flatMap(iterationRows);
    await inChunks(iterations, async (chunk) => {
      await insertIterations.run(runner, chunk);
    });
    return writes.map((write): RunWriteResult => {
      const status = statusOf.get(write.claim.runId);
      return status === undefined ? { written: false } : { written: true, status };
    });
  });
}
