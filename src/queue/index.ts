export * from "./agents/index.js";
export * from "./queue-api.js";
export { QUEUE_MIGRATIONS } from "./queue-migrations.js";
export * from "./schedules/index.js";
