import type { Generated } from "kysely";

/**
 * Row types of the store's own tables, as Kysely sees them. Other layers declare theirs beside
 * their migrations and type their queries with `db.withTables<TheirTables>()`. Columns stay
 * snake_case. Times are epoch milliseconds (UTC) in both backends so comparisons and
 * arithmetic behave the same.
 */
export interface Database {
  audit_events: AuditEventTable;
}

/** Append-only: the store refuses UPDATE and DELETE on it. */
export interface AuditEventTable {
  /** Grows with every insert; gives the log a total order. */
  id: Generated<number>;
  /** When it happened, epoch ms. */
  created_at: number;
  /** Who did it: `cli:<user>`, `worker:<id>`, `gateway`. */
  actor: string;
  /** Namespaced verb: `config:validate`, `model:call`, `budget:exceeded`. */
  action: string;
  /** What it was done to: `model:claude`, `run:<id>`. */
  resource: string;
  /** `success`, `failure`, `denied`, ... */
  outcome: string;
  /** JSON object with details, already redacted of secrets. */
  data: string;
}
