import type { StoreMigration } from "../store/index.js";
import { schedulesMigration } from "./schedules/0007-schedules.js";
import { queueMigration } from "./store/0006-queue.js";
import { queueLeanRowsMigration } from "./store/0008-queue-lean-rows.js";

/**
 * The queue's migrations, oldest first: tasks, their dependencies and attempts, workers
 * (0006), schedules (0007), successes recorded on the task and bytewise ids (0008). They come
 * after the committees'. Append only.
 */
export const QUEUE_MIGRATIONS: readonly StoreMigration[] = [
  queueMigration,
  schedulesMigration,
  queueLeanRowsMigration,
];
