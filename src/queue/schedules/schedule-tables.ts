import type { Kysely, Transaction } from "kysely";
import type { Database, Store } from "../../store/index.js";

/** A tick of a schedule that has fired: its target was enqueued in the same transaction. */
export interface ScheduleTickTable {
  /** The schedule's name, as in `schedules:` of orkestra.yaml. */
  schedule: string;
  /** The tick's time, epoch ms (whole seconds: cron has no finer resolution). */
  tick_at: number;
  /** When the tick was fired, epoch ms, by the clock of the process that fired it. */
  fired_at: number;
  /** What the fire enqueued (a run id, a task id), when the enqueue reported one. */
  target_id: string | null;
}

// A type alias, not an interface: Kysely's withTables wants an index-signature-compatible record.
export type ScheduleTables = {
  schedule_ticks: ScheduleTickTable;
};

export type ScheduleDatabase = Database & ScheduleTables;
export type ScheduleDb = Kysely<ScheduleDatabase>;
export type ScheduleTransaction = Transaction<ScheduleDatabase>;

/** The store's connection, typed with the schedules' table besides the store's own. */
export function scheduleDb(store: Store): ScheduleDb {
  return store.db.withTables<ScheduleTables>();
}

/** A store transaction, typed with the schedules' table. */
export function scheduleTransaction(trx: Transaction<Database>): ScheduleTransaction {
  return trx.withTables<ScheduleTables>();
}
