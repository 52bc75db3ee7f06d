import type { Store } from "../../store/index.js";
import { queueDb, queueTransaction } from "../store/queue-db.js";
import { settleFailures } from "./settle-failures.js";

/** Leases recovered per call at most; more are left to the next. */
const RECOVER_LIMIT = 500;

export interface RecoveredLease {
  id: string;
  token: number;
  /** The worker that lost it. */
  owner: string;
  /** What became of the task: retried later, dead, or cancelled (a cancel was asked for). */
  status: "failed" | "dead" | "cancelled";
}

/**
 * Running tasks whose lease expired (their worker died, hung or lost the store) are taken
 * back: the attempt's outcome becomes `lost`, and the task is retried after the backoff (it
 * counts as a failed attempt), or is dead when no attempt is left. One indexed read
 * (tasks_lease), cheap when nothing expired; concurrent recoverers skip each other's rows on
 * PostgreSQL. Workers call it periodically; a late completion from the lost worker is refused.
 */
export async function recoverExpiredLeases(
  store: Store,
  now: number = Date.now(),
): Promise<RecoveredLease[]> {
  // Looked for first without a transaction: on SQLite one takes the write lock.
  const any = await queueDb(store)
    .selectFrom("tasks")
    .select("id")
    .where("status", "=", "running")
    .where("lease_expires_at", "<", now)
    .limit(1)
    .executeTakeFirst();
  if (!any) return [];
  return queueTransaction(store, async (trx) => {
    let query = trx
      .selectFrom("tasks")
      .select(["id", "fencing_token", "lease_owner", "lease_expires_at"])
      .where("status", "=", "running")
      .where("lease_expires_at", "<", now)
      .orderBy("lease_expires_at")
      .limit(RECOVER_LIMIT);
    if (store.capabilities.skipLocked) query = query.forUpdate().skipLocked();
    const expired = await query.execute();
    if (expired.length === 0) return [];
    const settled = await settleFailures(
      store,
      trx,
      expired.map((row) => ({
        id: row.id,
        token: Number(row.fencing_token),
        owner: row.lease_owner as string,
        outcome: "lost" as const,
        error: {
          code: "lease_expired",
          message: `The lease of ${row.lease_owner} expired at ${new Date(Number(row.lease_expires_at)).toISOString()} without a heartbeat; the worker died, hung or lost the store.`,
        },
        retryable: true,
      })),
      now,
    );
    const owners = new Map(expired.map((row) => [row.id, row.lease_owner as string]));
    return settled.flatMap((each) =>
      each.status === "refused"
        ? []
        : [
            {
              id: each.id,
              token: each.token,
              owner: owners.get(each.id) as string,
              status: each.status,
            },
          ],
    );
  });
}
