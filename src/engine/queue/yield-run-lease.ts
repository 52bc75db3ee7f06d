import type { Store } from "../../store/index.js";
import { engineDb } from "../store/engine-db.js";
import { TERMINAL_RUN_STATUSES } from "../store/run-records.js";

/** The lease a driver holds on a run, as its holder names it. */
export interface HeldRunLease {
  runId: string;
  owner: string;
  token: number;
}

/** The lease `owner` holds on `runId` now, or undefined when it holds none. */
export async function heldRunLease(
  store: Store,
  runId: string,
  owner: string,
): Promise<HeldRunLease | undefined> {
  const row = await engineDb(store)
    .selectFrom("runs")
    .select("fencing_token")
    .where("id", "=", runId)
    .where("lease_owner", "=", owner)
    .executeTakeFirst();
  return row ? { runId, owner, token: Number(row.fencing_token) } : undefined;
}

/**
 * Gives a run's lease up from outside its driver (its worker is stopping, or lost the task):
 * the lease is free at once, and the fencing token moves on, so whatever the driver still
 * tries to commit is refused. The driver sees the lease gone at its next heartbeat and stops
 * its steps without touching the run's status, which stays as it was for the next driver.
 * Returns false when the lease had already passed on.
 */
export async function yieldRunLease(store: Store, lease: HeldRunLease): Promise<boolean> {
  const updated = await engineDb(store)
    .updateTable("runs")
    .set((expression) => ({
      lease_owner: null,
      lease_expires_at: null,
      fencing_token: expression("fencing_token", "+", 1),
    }))
    .where("id", "=", lease.runId)
    .where("lease_owner", "=", lease.owner)
    .where("fencing_token", "=", lease.token)
    .where("status", "not in", [...TERMINAL_RUN_STATUSES])
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}
