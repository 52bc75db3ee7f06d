export {
  type AuditEvent,
  type AuditEventInput,
  type AuditLog,
  type AuditQuery,
  auditEventRow,
  createAuditLog,
} from "./audit-log.js";
export type { AuditEventTable, Database } from "./database.js";
export type { MigrationBackend, StoreMigration } from "./migrations/store-migration.js";
export { STORE_MIGRATIONS } from "./migrations/store-migrations.js";
export { type OpenStoreOptions, openStore } from "./open-store.js";
export {
  PreparedQuery,
  PreparedQueryPerCount,
  PreparedRowsQuery,
  type RowCell,
} from "./prepared-query.js";
export type { Store, StoreCapabilities, StoreDialect, StoreSubscription } from "./store.js";
export type { StoreQueryEvent } from "./store-backend.js";
export type { StoreDdl } from "./store-ddl.js";
export {
  STORE_ERROR_CODES,
  StoreError,
  type StoreErrorCode,
  type StoreErrorOptions,
} from "./store-error.js";
export { displayStoreUrl } from "./store-url.js";
