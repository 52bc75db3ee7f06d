export { QUEUE_MIGRATIONS } from "./queue-migrations.js";
