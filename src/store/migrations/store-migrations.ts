import { modelGatewayMigration } from "../../models/tables/0002-model-gateway.js";
import { auditEventsMigration } from "./0001-audit-events.js";
import type { StoreMigration } from "./store-migration.js";

/** Every migration this version of Orkestra knows, oldest first. Append only. */
export const STORE_MIGRATIONS: readonly StoreMigration[] = [
  auditEventsMigration,
  modelGatewayMigration,
];
