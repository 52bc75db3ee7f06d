import type { Insertable, Kysely, Selectable } from "kysely";
import { redactValue } from "../observability/index.js";
import type { AuditEventTable, Database } from "./database.js";

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
  /**
   * At most this many, oldest first. `query` caps at 1000 when unset; `iterate` has no cap.
   * @defaultValue 1000 for `query`, unlimited for `iterate`
   */
  limit?: number;
  /**
   * Take the newest `limit` events instead of the oldest (still returned oldest first), read
   * from the end of the index rather than by scanning the whole trail. `query` only.
   */
  newest?: boolean;
}

/** The append-only audit trail. There is no update or delete, here or in the database. */
export interface AuditLog {
  append(event: AuditEventInput): Promise<AuditEvent>;
  query(query?: AuditQuery): Promise<AuditEvent[]>;
  /** Every matching event, oldest first, read in pages so an export never loads it all. */
  iterate(query?: AuditQuery): AsyncIterable<AuditEvent>;
}

/**
 * The row an event is stored as, secrets redacted: for callers that insert events in their
 * own batch or transaction (the model ledger writes `model:call` with its rows).
 */
export function auditEventRow(event: AuditEventInput): Insertable<AuditEventTable> {
  const data = redactValue(event.data ?? {}) as Record<string, unknown>;
  return {
    created_at: event.at ?? Date.now(),
    actor: event.actor,
    action: event.action,
    resource: event.resource,
    outcome: event.outcome,
    data: JSON.stringify(data),
  };
}

/** Rows per page when `iterate` reads the log. */
const PAGE_SIZE = 500;
/** What `query` returns at most when no limit is given. */
const DEFAULT_QUERY_LIMIT = 1000;

/**
 * The audit trail on a store's tables. Pass a transaction instead of the store's `db` to
 * record an event atomically with the change it describes.
 */
export function createAuditLog(db: Kysely<Database>): AuditLog {
  async function query(filter: AuditQuery = {}): Promise<AuditEvent[]> {
    let select = db
      .selectFrom("audit_events")
      .selectAll()
      .orderBy("id", filter.newest ? "desc" : "asc");
    if (filter.since !== undefined) select = select.where("created_at", ">=", filter.since);
    if (filter.action !== undefined) select = select.where("action", "=", filter.action);
    if (filter.actor !== undefined) select = select.where("actor", "=", filter.actor);
    if (filter.afterId !== undefined) select = select.where("id", ">", filter.afterId);
    const rows = await select.limit(filter.limit ?? DEFAULT_QUERY_LIMIT).execute();
    if (filter.newest) rows.reverse();
    return rows.map(toAuditEvent);
  }

  return {
    async append(event: AuditEventInput): Promise<AuditEvent> {
      const row = await db
        .insertInto("audit_events")
        .values(auditEventRow(event))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAuditEvent(row);
    },

    query,

    // Keyset paging on id: each page is one indexed range read, however deep the export goes.
    async *iterate(filter: AuditQuery = {}): AsyncIterable<AuditEvent> {
      let remaining = filter.limit ?? Number.POSITIVE_INFINITY;
      let afterId = filter.afterId;
      while (remaining > 0) {
        const page = await query({ ...filter, afterId, limit: Math.min(PAGE_SIZE, remaining) });
        for (const event of page) yield event;
        if (page.length < PAGE_SIZE) return;
        remaining -= page.length;
        afterId = page.at(-1)!.id;
      }
    },
  };
}

function toAuditEvent(row: Selectable<AuditEventTable>): AuditEvent {
  return {
    id: row.id,
    at: row.created_at,
    actor: row.actor,
    action: row.action,
    resource: row.resource,
    outcome: row.outcome,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}
