import type { StoreMigration } from "../store/index.js";
import { schedulesMigration } from "./schedules/0007-schedules.js";
import { queueMigration } from "./store/0006-queue.js";

/**
 * The queue's migrations, oldest first: tasks, their dependencies and attempts, workers
 * (0006), schedules (0007). They come after the committees'. Append only.
 */
export const QUEUE_MIGRATIONS: readonly StoreMigration[] = [queueMigration, schedulesMigration];
