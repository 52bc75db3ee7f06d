/** One entry of the audit trail, as written by callers. */
export interface AuditEventInput {
  /** Who: `cli:<os user>`, `worker:<id>`, `gateway`. */
  actor: string;
  /** Namespaced verb: `config:validate`, `model:call`. */
  action: string;
  /** What: `model:claude`, `store`, `run:<id>`. */
  resource: string;
  /** `success`, `failure`, `denied`, ... */
  outcome: string;
  /** Details; secrets are redacted before they are stored. */
  data?: Record<string, unknown>;
  /** Epoch ms; defaults to now. */
  at?: number;
}

/** One entry of the audit trail, as read back. */
export interface AuditEvent {
  id: number;
  /** Epoch ms. */
  at: number;
  actor: string;
  action: string;
  resource: string;
  outcome: string;
  data: Record<string, unknown>;
}

export interface AuditQuery {
  /** Only events at or after this epoch ms. */
  since?: number;
  action?: string;
  actor?: string;
  /** Only events with an id above this (for paging). */
  afterId?: number;
  /** At most this many, oldest first. */
  limit?: number;
}

/** The append-only audit trail. There is no update or delete, here or in the database. */
export interface AuditLog {
  append(event: AuditEventInput): Promise<AuditEvent>;
  query(query?: AuditQuery): Promise<AuditEvent[]>;
  /** Every matching event, oldest first, read in pages so an export never loads it all. */
  iterate(query?: AuditQuery): AsyncIterable<AuditEvent>;
}
