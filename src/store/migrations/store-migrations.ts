import { auditEventsMigration } from "./0001-audit-events.js";
import type { StoreMigration } from "./store-migration.js";

/**
 * The store's own migrations (its audit table), oldest first. Append only. Other layers' tables
 * come with their own lists; src/store-schema.ts puts them all together.
 */
export const STORE_MIGRATIONS: readonly StoreMigration[] = [auditEventsMigration];
