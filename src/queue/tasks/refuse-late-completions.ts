import type { QueueTransaction } from "../store/queue-tables.js";
import type { TaskLease } from "./task-types.js";

/** Outcomes a late completion may overwrite: the attempt had not ended by its own doing. */
const OVERWRITABLE: ReadonlySet<string | null> = new Set([null, "lost", "released", "cancelled"]);

/**
 * Records completions that came after their lease was lost (expired and recovered, released,
 * or the task cancelled): the attempt's outcome becomes `refused`, with what it was before in
 * its error. Attempts of another worker, and attempts that already ended with a result of their
 * own (a completion sent twice), are left alone. Refusals are rare: one statement each.
 */
export async function refuseLateCompletions(
  trx: QueueTransaction,
  workerId: string,
  refused: readonly TaskLease[],
  now: number,
): Promise<void> {
  for (const lease of refused) {
    const attempt = await trx
      .selectFrom("task_attempts")
      .select(["attempt", "outcome"])
      .where("task_id", "=", lease.id)
      .where("fencing_token", "=", lease.token)
      .where("worker", "=", workerId)
      .executeTakeFirst();
    if (!attempt || !OVERWRITABLE.has(attempt.outcome)) continue;
    const error = {
      code: "refused",
      message: `A completion from ${workerId} came after its lease was lost${attempt.outcome ? ` (the attempt was ${attempt.outcome})` : ""}; it was not committed.`,
      previousOutcome: attempt.outcome,
    };
    await trx
      .updateTable("task_attempts")
      .set({ outcome: "refused", finished_at: now, error_json: JSON.stringify(error) })
      .where("task_id", "=", lease.id)
      .where("attempt", "=", Number(attempt.attempt))
      .execute();
  }
}
