import type { RawBuilder, Sql } from "kysely";
import { PreparedQuery, type Store } from "../../store/index.js";
import { engineDb } from "./engine-db.js";
import type { RunTable } from "./engine-tables.js";
import {
  ADVANCE_COLUMNS,
  ADVANCE_TYPES,
  ADVANCE_WHERE,
  advanceRow,
  advanceRunsSql,
  CLAIM_COLUMNS,
  CLAIM_TYPES,
  COMMIT_COLUMNS,
  COMMIT_SET,
  COMMIT_TYPES,
  claimRows,
  commitRow,
  ITERATION_COLUMNS,
  ITERATION_TYPES,
  iterationRows,
  RUN_COLUMNS,
  RUN_TYPES,
  type RunWrite,
  type RunWriteResult,
} from "./run-batch.js";

/** Which parts a batch has: each shape is one statement text, prepared once. */
interface Shape {
  fenced: boolean;
  inserts: boolean;
  commits: boolean;
  claims: boolean;
  iterations: boolean;
}

/** The rows of a part as one array per column: the values of `unnest(…)`. */
function columnsOf(rows: readonly (readonly unknown[])[], width: number): unknown[][] {
  const columns: unknown[][] = Array.from({ length: width }, () => []);
  for (const row of rows)
    for (let index = 0; index < width; index += 1) columns[index]?.push(row[index]);
  return columns;
}

/** `unnest(cast($a as t1[]), cast($b as t2[]), …) as v (columns)`, its arrays from `next()`. */
function unnest(
  tag: Sql,
  types: readonly string[],
  columns: string,
  next: () => unknown,
): RawBuilder<unknown> {
  const arrays = types.map((type) => tag`cast(${next()} as ${tag.raw(type)}[])`);
  return tag`unnest(${tag.join(arrays)}) as v (${tag.raw(columns)})`;
}

const RUN_TYPE_LIST = RUN_COLUMNS.map((column) => RUN_TYPES[column]);
const COMMIT_PART_TYPES = ["text", ...COMMIT_TYPES];
const COMMIT_PART_COLUMNS = `run_id, ${COMMIT_COLUMNS}`;

/** The statement of one shape; its parameters are, in order, the column arrays of its parts. */
function statementOf(shape: Shape): PreparedQuery<{ id: string; status: string }> {
  return new PreparedQuery((parameter, tag) => {
    let index = 0;
    const next = (): unknown => parameter(index++);
    const parts: RawBuilder<unknown>[] = [];
    const sources: RawBuilder<unknown>[] = [];
    if (shape.fenced) {
      parts.push(
        tag`advanced as (${advanceRunsSql(tag)} from ${unnest(tag, ADVANCE_TYPES, ADVANCE_COLUMNS, next)} where ${tag.raw(ADVANCE_WHERE)} returning runs.id, runs.status)`,
      );
      sources.push(tag`select id, status from advanced`);
    }
    if (shape.inserts) {
      const columns = RUN_COLUMNS.join(", ");
      parts.push(
        tag`inserted as (insert into runs (${tag.raw(columns)}) select ${tag.raw(columns)} from ${unnest(tag, RUN_TYPE_LIST, columns, next)} returning id, status)`,
      );
      sources.push(tag`select id, status from inserted`);
    }
    parts.push(tag`written as (${tag.join(sources, tag` union all `)})`);
    const ofWritten = tag`v.run_id in (select id from written)`;
    if (shape.commits) {
      parts.push(
        tag`committed as (update step_attempts set ${tag.raw(COMMIT_SET)} from ${unnest(tag, COMMIT_PART_TYPES, COMMIT_PART_COLUMNS, next)} where step_attempts.id = v.id and ${ofWritten})`,
      );
    }
    if (shape.claims) {
      parts.push(
        tag`claimed as (insert into step_attempts (${tag.raw(CLAIM_COLUMNS)}) select ${tag.raw(CLAIM_COLUMNS)} from ${unnest(tag, CLAIM_TYPES, CLAIM_COLUMNS, next)} where ${ofWritten})`,
      );
    }
    if (shape.iterations) {
      parts.push(
        tag`ended as (insert into run_iterations (${tag.raw(ITERATION_COLUMNS)}) select ${tag.raw(ITERATION_COLUMNS)} from ${unnest(tag, ITERATION_TYPES, ITERATION_COLUMNS, next)} where ${ofWritten} on conflict (run_id, iteration) do nothing)`,
      );
    }
    return tag`with ${tag.join(parts)} select id, status from written`;
  });
}

const statements = new Map<string, PreparedQuery<{ id: string; status: string }>>();

/**
 * `writeRunsInTransaction` as one statement, for a store with data-modifying CTEs and array
 * parameters (PostgreSQL): the fenced advances and the new runs, then the commits, claims and
 * iteration ends of the runs that went through (`written`), in one autocommit statement —
 * atomic like the transaction, one round trip instead of up to seven. Each part's rows come
 * as one array per column (`unnest`), so the text and its plan do not grow with the batch:
 * with a multi-row `VALUES` PostgreSQL spent most of a 16-run batch planning its ~560 casts.
 * Every CTE sees the same snapshot; they write different rows (a batch holds one write per
 * run, and a new run only inserts), so none needs another's effect, only the ids `written`
 * returns.
 */
export async function writeRunsInOneStatement(
  store: Store,
  writes: readonly RunWrite[],
): Promise<RunWriteResult[]> {
  const inserts = writes.filter((write) => write.insert !== undefined);
  // Fenced rows in one order, so two processes' batches lock shared runs alike.
  const fenced = writes
    .filter((write) => write.insert === undefined)
    .sort((a, b) => (a.claim.runId < b.claim.runId ? -1 : 1));
  const commits = fenced.flatMap((write) =>
    write.commit ? [[write.claim.runId, ...commitRow(write.commit)]] : [],
  );
  const claims = writes.flatMap(claimRows);
  const iterations = writes.flatMap(iterationRows);
  const shape: Shape = {
    fenced: fenced.length > 0,
    inserts: inserts.length > 0,
    commits: commits.length > 0,
    claims: claims.length > 0,
    iterations: iterations.length > 0,
  };
  const values = [
    ...(shape.fenced ? columnsOf(fenced.map(advanceRow), ADVANCE_TYPES.length) : []),
    ...(shape.inserts
      ? columnsOf(
          inserts.map(({ insert }) => RUN_COLUMNS.map((column) => (insert as RunTable)[column])),
          RUN_COLUMNS.length,
        )
      : []),
    ...(shape.commits ? columnsOf(commits, COMMIT_PART_TYPES.length) : []),
    ...(shape.claims ? columnsOf(claims, CLAIM_TYPES.length) : []),
    ...(shape.iterations ? columnsOf(iterations, ITERATION_TYPES.length) : []),
  ];
  const key = JSON.stringify(shape);
  let statement = statements.get(key);
  if (!statement) {
    statement = statementOf(shape);
    statements.set(key, statement);
  }
  const { rows } = await statement.run(engineDb(store), values);
  const statusOf = new Map(rows.map((row) => [row.id, row.status]));
  return writes.map((write): RunWriteResult => {
    const status = statusOf.get(write.claim.runId);
    return status === undefined ? { written: false } : { written: true, status };
  });
}
