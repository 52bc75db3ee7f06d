import type { StoreMigration } from "../../store/index.js";
import { workflowRunsMigration } from "./0003-workflow-runs.js";
import { runLeasesMigration } from "./0004-run-leases.js";

/** The engine's migrations, oldest first; they come after the store's. Append only. */
export const ENGINE_MIGRATIONS: readonly StoreMigration[] = [
  workflowRunsMigration,
  runLeasesMigration,
];
