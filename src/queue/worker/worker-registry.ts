import { sql } from "kysely";
import type { Store } from "../../store/index.js";
import { queueDb } from "../store/queue-db.js";
import type { WorkerTable } from "../store/queue-tables.js";

export type WorkerStatus = "running" | "stopping" | "stopped" | "lost";

/** A silent worker is marked lost after this many missed heartbeats. */
export const LOST_AFTER_HEARTBEATS = 5;

/** A worker as the registry knows it. Times are epoch ms. */
export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  queues: string[];
  agents: string[];
  concurrency: number;
  heartbeatMs: number;
  startedAt: number;
  lastSeenAt: number;
  status: WorkerStatus;
  /** Tasks it completed successfully so far. */
  succeeded: number;
  /** Its attempts that did not succeed (failed, timed out, lost, cancelled) so far. */
  failed: number;
  /** Tasks in flight at its last heartbeat. */
  currentTasks: number;
}

export interface WorkerRegistration {
  id: string;
  host: string;
  pid: number;
  queues: readonly string[];
  agents?: readonly string[];
  concurrency: number;
  heartbeatMs: number;
  /** @defaultValue Date.now() */
  now?: number;
}

/** Registers a worker as running (again, if the id is known), with its counts at zero. */
export async function registerWorker(
  store: Store,
  registration: WorkerRegistration,
): Promise<void> {
  const now = registration.now ?? Date.now();
  const row: WorkerTable = {
    id: registration.id,
    host: registration.host,
    pid: registration.pid,
    queues_json: JSON.stringify(registration.queues),
    agents_json: JSON.stringify(registration.agents ?? []),
    concurrency: registration.concurrency,
    heartbeat_ms: registration.heartbeatMs,
    started_at: now,
    last_seen_at: now,
    status: "running",
    succeeded: 0,
    failed: 0,
    current_tasks: 0,
  };
  const { id: _id, ...update } = row;
  await queueDb(store)
    .insertInto("workers")
    .values(row)
    .onConflict((conflict) => conflict.column("id").doUpdateSet(update))
    .execute();
}

export interface WorkerReport {
  id: string;
  /** running, or stopping once it no longer claims. */
  status: "running" | "stopping";
  succeeded: number;
  failed: number;
  currentTasks: number;
  /** @defaultValue Date.now() */
  now?: number;
}

/**
 * Records that the worker is alive, with its totals. A worker marked lost by another (it was
 * silent too long: paused, partitioned) is alive again; its expired leases stay lost.
 */
export async function recordWorkerHeartbeat(store: Store, heartbeat: WorkerReport): Promise<void> {
  await queueDb(store)
    .updateTable("workers")
    .set({
      last_seen_at: heartbeat.now ?? Date.now(),
      status: heartbeat.status,
      succeeded: heartbeat.succeeded,
      failed: heartbeat.failed,
      current_tasks: heartbeat.currentTasks,
    })
    .where("id", "=", heartbeat.id)
    .where("status", "!=", "stopped")
    .execute();
}

/** Records that the worker stopped on its own. */
export async function markWorkerStopped(
  store: Store,
  id: string,
  totals: { succeeded: number; failed: number },
  now: number = Date.now(),
): Promise<void> {
  await queueDb(store)
    .updateTable("workers")
    .set({ status: "stopped", last_seen_at: now, current_tasks: 0, ...totals })
    .where("id", "=", id)
    .execute();
}

/**
 * Marks workers lost that have been silent for more than `missedHeartbeats` of their own
 * heartbeat intervals. Their leases are not touched: they expire, and recoverExpiredLeases
 * takes the tasks back. Returns the ids marked.
 */
export async function markLostWorkers(
  store: Store,
  now: number = Date.now(),
  missedHeartbeats: number = LOST_AFTER_HEARTBEATS,
): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    update workers set status = 'lost'
    where status in ('running', 'stopping')
      and last_seen_at + heartbeat_ms * ${missedHeartbeats} < ${now}
    returning id`.execute(queueDb(store));
  return rows.map((row) => row.id);
}

export interface ListWorkersOptions {
  /** Only workers in these statuses. */
  status?: readonly WorkerStatus[];
}

/** Workers, most recently started first. */
export async function listWorkers(
  store: Store,
  options: ListWorkersOptions = {},
): Promise<WorkerInfo[]> {
  let query = queueDb(store)
    .selectFrom("workers")
    .selectAll()
    .orderBy("started_at", "desc")
    .orderBy("id");
  if (options.status)
    query = query.where("status", "in", options.status.length > 0 ? [...options.status] : ["none"]);
  return (await query.execute()).map((row) => ({
    id: row.id,
    host: row.host,
    pid: Number(row.pid),
    queues: JSON.parse(row.queues_json) as string[],
    agents: JSON.parse(row.agents_json) as string[],
    concurrency: Number(row.concurrency),
    heartbeatMs: Number(row.heartbeat_ms),
    startedAt: Number(row.started_at),
    lastSeenAt: Number(row.last_seen_at),
    status: row.status as WorkerStatus,
    succeeded: Number(row.succeeded),
    failed: Number(row.failed),
    currentTasks: Number(row.current_tasks),
  }));
}
