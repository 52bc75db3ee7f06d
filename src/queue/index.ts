export * from "./agents/index.js";
export { QUEUE_MIGRATIONS } from "./queue-migrations.js";
export * from "./schedules/index.js";
