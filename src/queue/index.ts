export * from "./agents/index.js";
export { QUEUE_MIGRATIONS } from "./queue-migrations.js";
