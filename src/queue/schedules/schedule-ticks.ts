import type { Store } from "../../store/index.js";
import { type ScheduleTransaction, scheduleDb } from "./schedule-tables.js";

/** A fired tick, as recorded. */
export interface ScheduleTickRecord {
  schedule: string;
  /** Epoch ms. */
  tickAt: number;
  /** Epoch ms. */
  firedAt: number;
  targetId: string | undefined;
}

/** The latest fired tick of each of `schedules` that has fired at all, epoch ms. */
export async function latestFiredTicks(
  store: Store,
  schedules: readonly string[],
): Promise<Map<string, number>> {
  if (schedules.length === 0) return new Map();
  const rows = await scheduleDb(store)
    .selectFrom("schedule_ticks")
    .select(["schedule", (expression) => expression.fn.max("tick_at").as("latest")])
    .where("schedule", "in", schedules)
    .groupBy("schedule")
    .execute();
  return new Map(rows.map((row) => [row.schedule, Number(row.latest)]));
}

/**
 * Records the tick as fired unless it already is. True when this call inserted the row: the
 * caller then owns the tick and enqueues its target in the same transaction. On PostgreSQL a
 * concurrent insert of the same tick waits for the other transaction and then does nothing (or
 * takes over if that one rolled back); on SQLite the transaction holds the write lock already.
 */
export async function claimTick(
  trx: ScheduleTransaction,
  tick: { schedule: string; tickAt: number; firedAt: number },
): Promise<boolean> {
  const inserted = await trx
    .insertInto("schedule_ticks")
    .values({
      schedule: tick.schedule,
      tick_at: tick.tickAt,
      fired_at: tick.firedAt,
      target_id: null,
    })
    .onConflict((conflict) => conflict.columns(["schedule", "tick_at"]).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Notes what a claimed tick enqueued. */
export async function recordTickTarget(
  trx: ScheduleTransaction,
  tick: { schedule: string; tickAt: number },
  targetId: string,
): Promise<void> {
  await trx
    .updateTable("schedule_ticks")
    .set({ target_id: targetId })
    .where("schedule", "=", tick.schedule)
    .where("tick_at", "=", tick.tickAt)
    .execute();
}

/** Fired ticks, oldest first; of one schedule when `schedule` is given. */
export async function listFiredTicks(
  store: Store,
  options: { schedule?: string; limit?: number } = {},
): Promise<ScheduleTickRecord[]> {
  let query = scheduleDb(store)
    .selectFrom("schedule_ticks")
    .selectAll()
    .orderBy("schedule")
    .orderBy("tick_at");
  if (options.schedule !== undefined) query = query.where("schedule", "=", options.schedule);
  if (options.limit !== undefined) query = query.limit(options.limit);
  const rows = await query.execute();
  return rows.map((row) => ({
    schedule: row.schedule,
    tickAt: Number(row.tick_at),
    firedAt: Number(row.fired_at),
    targetId: row.target_id ?? undefined,
  }));
}
