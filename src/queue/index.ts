export * from "./queue-api.js";
export { QUEUE_MIGRATIONS } from "./queue-migrations.js";
