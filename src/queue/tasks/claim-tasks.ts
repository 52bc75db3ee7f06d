import { type RawBuilder, sql } from "kysely";
import { normalizeTag } from "../../config/agents-schema.js";
import type { Store } from "../../store/index.js";
import { QueueError } from "../queue-error.js";
import { queueDb, queueTransaction } from "../store/queue-db.js";
import { promoteDueTasks } from "./promote-due-tasks.js";
import { CLAIMED_COLUMNS, type ClaimedRow, claimedTaskFromRow } from "./task-rows.js";
import type { ClaimedTask } from "./task-types.js";

export interface ClaimTasksOptions {
  /** Who claims: the lease owner of every claimed task. */
  workerId: string;
  /** Queues to claim from (at least one). */
  queues: readonly string[];
  /** At most this many tasks (a positive integer). */
  limit: number;
  /** How long each lease holds without a heartbeat, ms. */
  leaseMs: number;
  /** @defaultValue Date.now() */
  now?: number;
  /** Only tasks of these kinds (the handlers the claimer has). @defaultValue any kind */
  kinds?: readonly string[];
  /** Only tasks whose required capabilities are all in this set, whatever their case. @defaultValue no filter */
  capabilities?: readonly string[];
  /** Claim for this agent: tasks asking for no agent or for it; recorded on the task and the attempt. */
  agent?: string;
  /**
   * First make due tasks ready (delayed ones whose `runAt` passed, failed ones whose retry is
   * due; see promoteDueTasks). A worker that claims often can do it every so often instead.
   * @defaultValue true
   */
  promoteDue?: boolean;
}

/**
 * Claims up to `limit` ready tasks in one statement: strict priority within a queue (higher
 * first), oldest first among equals. Each claimed task is `running` with a lease owned by
 * `workerId`, a fencing token one higher than before, and its attempt started: the attempt is
 * the task's lease (owner, token, `started_at`, agent) until it ends, and whatever ends it
 * writes its row in task_attempts (see attempt-rows.ts). On PostgreSQL the candidates are
 * locked with `FOR UPDATE SKIP LOCKED`, so concurrent claimers never wait for each other or
 * claim the same task; on SQLite the claim is one immediate transaction. Returns the claimed
 * tasks by priority, then age.
 */
export async function claimTasks(store: Store, options: ClaimTasksOptions): Promise<ClaimedTask[]> {
  checkClaimOptions(options);
  const now = options.now ?? Date.now();
  const oneStatement = store.capabilities.skipLocked && store.capabilities.dataModifyingCtes;
  const claim = claimStatement(options, now, oneStatement);
  let rows: ClaimedRow[];
  if (oneStatement) {
    if (options.promoteDue ?? true) await promoteDueTasks(store, now);
    rows = (await claim.execute(queueDb(store))).rows;
  } else {
    rows = await queueTransaction(store, async (trx) => {
      if (options.promoteDue ?? true) await promoteDueTasks(store, now, trx);
      return (await claim.execute(trx)).rows;
    });
  }
  const lease = { owner: options.workerId, expiresAt: now + options.leaseMs, startedAt: now };
  return rows.map((row) => claimedTaskFromRow(row, lease)).sort(byPriorityThenAge);
}

/**
 * The UPDATE that claims: with `FOR UPDATE SKIP LOCKED` and data-modifying CTEs (PostgreSQL) as
 * one statement that picks and updates; otherwise (SQLite) inside an immediate transaction that
 * already holds the write lock. It writes no attempt row: an attempt's row is written once,
 * when it ends, which saved a third of the server's work per task (an insert here and an
 * update at the completion, against one insert then; bench/RESULTS.md, "Queue: Orkestra").
 *
 * On PostgreSQL the claim commits without waiting for its WAL to reach the disk
 * (`synchronous_commit` off for this one transaction; `set_config(…, true)` ends with it): the
 * flush was most of an idle worker's pickup latency after the add's own flush (p50 3 ms, p99
 * 10–27 ms on a busy 2-core machine; bench/RESULTS.md, "Queue: Orkestra"). What it trades, if
 * the database server itself crashes (a client crash changes nothing): claims committed in the
 * last moments before the crash (at most 3 × wal_writer_delay, 600 ms by default, and none
 * older than the last synchronous commit of anyone) may be lost. Such a task is `ready` again
 * after recovery, with its fencing token as it was before the lost claim and no attempt row for
 * it; the worker that ran it loses its lease at its next heartbeat, and its completion is
 * refused (owner and token no longer match), so nothing is committed twice. What stays
 * durable: the add, every completion (a completion's synchronous commit flushes the claim
 * before it, so a committed result never rests on a lost claim), releases, retries.
 */
function claimStatement(
  options: ClaimTasksOptions,
  now: number,
  oneStatement: boolean,
): RawBuilder<ClaimedRow> {
  const candidates = sql`
    select id from tasks
    where status = 'ready'
      and queue in (${sql.join(options.queues)})
      ${claimFilters(options)}
    order by priority desc, id
    limit ${options.limit}`;
  const set = sql`
    status = 'running',
    lease_owner = ${options.workerId},
    lease_expires_at = ${now + options.leaseMs},
    fencing_token = fencing_token + 1,
    attempts = attempts + 1,
    started_at = ${now},
    agent = coalesce(${options.agent ?? null}, agent)`;
  const returned = (table: string) =>
    sql.join(CLAIMED_COLUMNS.map((column) => sql.ref(`${table}.${column}`)));
  if (!oneStatement) {
    return sql<ClaimedRow>`update tasks set ${set} where id in (${candidates}) returning ${returned("tasks")}`;
  }
  return sql<ClaimedRow>`
    with candidates as (${candidates} for update skip locked),
    claimed as (
      update tasks set ${set}
      from candidates where tasks.id = candidates.id
      returning ${returned("tasks")}
    )
    select * from claimed
    where (select set_config('synchronous_commit', 'off', true)) = 'off'`;
}

/** The optional filters of a claim: kinds, capabilities, agent. */
function claimFilters(options: ClaimTasksOptions): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (options.kinds !== undefined) {
    parts.push(
      options.kinds.length === 0 ? sql`and 1 = 0` : sql`and kind in (${sql.join(options.kinds)})`,
    );
  }
  if (options.capabilities !== undefined) {
    // Required ⊆ offered: no required capability outside the offered set, compared without
    // regard to case (normalizeTag; a task's few rows are found by task_id, so lower() costs no
    // index). Tasks requiring nothing (most) are told apart by their JSON column without
    // reading task_capabilities.
    const offered = [...new Set(options.capabilities.map(normalizeTag))];
    const outside =
      offered.length === 0
        ? sql``
        : sql`and lower(required.capability) not in (${sql.join(offered)})`;
    parts.push(sql`and (capabilities_json = '[]' or not exists (
      select 1 from task_capabilities as required
      where required.task_id = tasks.id ${outside}))`);
  }
  if (options.agent !== undefined) parts.push(sql`and (agent is null or agent = ${options.agent})`);
  return sql.join(parts, sql` `);
}

function byPriorityThenAge(a: ClaimedTask, b: ClaimedTask): number {
  return b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function checkClaimOptions(options: ClaimTasksOptions): void {
  const problem =
    !Array.isArray(options.queues) || options.queues.length === 0
      ? "queues must name at least one queue"
      : !Number.isSafeInteger(options.limit) || options.limit < 1
        ? `limit ${String(options.limit)} is not a positive integer`
        : !Number.isSafeInteger(options.leaseMs) || options.leaseMs < 1
          ? `leaseMs ${String(options.leaseMs)} is not a positive integer`
          : typeof options.workerId !== "string" || options.workerId === ""
            ? "workerId is empty"
            : undefined;
  if (problem) {
    throw new QueueError(`Cannot claim tasks: ${problem}.`, {
      code: "queue.invalid_option",
      hint: "Pass a workerId, one or more queues, a limit of at least 1 and a lease in ms.",
    });
  }
}
