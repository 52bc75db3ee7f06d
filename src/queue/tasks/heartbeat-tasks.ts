import { sql } from "kysely";
import type { Store } from "../../store/index.js";
import { queueDb } from "../store/queue-db.js";
import { chunks } from "./sql-lists.js";
import type { TaskLease } from "./task-types.js";

const HEARTBEAT_CHUNK = 500;

export interface HeartbeatTasksOptions {
  workerId: string;
  /** The leases the worker believes it holds. */
  leases: readonly TaskLease[];
  /** Extend each held lease to now + leaseMs. */
  leaseMs: number;
  /** @defaultValue Date.now() */
  now?: number;
}

export interface HeartbeatResult {
  /** Leases still held, now extended. */
  held: TaskLease[];
  /** Leases no longer held (expired and recovered, released, or the task ended): stop their work. */
  lost: TaskLease[];
  /** Held leases whose task was asked to cancel: abort their work. */
  cancelRequested: TaskLease[];
}

/**
 * Extends every lease still held (the owner is set exactly while the task runs; see
 * completeTasks for why the status is not tested) by `workerId` with the same fencing token, in one statement
 * per 500 leases, and says which are lost and which were asked to cancel.
 */
export async function heartbeatTasks(
  store: Store,
  options: HeartbeatTasksOptions,
): Promise<HeartbeatResult> {
  const now = options.now ?? Date.now();
  const held = new Map<string, boolean>();
  for (const chunk of chunks(options.leases, HEARTBEAT_CHUNK)) {
    const leases = sql.join(
      chunk.map((lease) => sql`(${lease.id}, cast(${lease.token} as bigint))`),
    );
    const { rows } = await sql<{
      id: string;
      fencing_token: number;
      cancel_requested_at: number | null;
    }>`
      update tasks set lease_expires_at = ${now + options.leaseMs}
      where lease_owner = ${options.workerId} and (id, fencing_token) in (values ${leases})
      returning id, fencing_token, cancel_requested_at`.execute(queueDb(store));
    for (const row of rows)
      held.set(`${row.id}:${Number(row.fencing_token)}`, row.cancel_requested_at !== null);
  }
  const result: HeartbeatResult = { held: [], lost: [], cancelRequested: [] };
  for (const lease of options.leases) {
    const cancel = held.get(`${lease.id}:${lease.token}`);
    if (cancel === undefined) result.lost.push(lease);
    else {
      result.held.push(lease);
      if (cancel) result.cancelRequested.push(lease);
    }
  }
  return result;
}
