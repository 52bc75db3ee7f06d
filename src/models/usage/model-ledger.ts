import type { Insertable, Transaction } from "kysely";
import { type Logger, redactSecrets } from "../../observability/index.js";
import type { AuditEventTable, Store } from "../../store/index.js";
import { retryStoreWrite } from "../budget/retry-store-write.js";
import {
  type ModelCallTable,
  type ModelDatabase,
  type ModelTransaction,
  modelTransaction,
} from "../tables/model-tables.js";

export type LedgerRow = Insertable<ModelCallTable>;

/** A write that joins the next ledger transaction (`ModelLedger.writeAlongside`). */
export interface LedgerCompanion {
  writeAlongside(write: (trx: Transaction<ModelDatabase>) => Promise<void>): Promise<void>;
}

interface PendingWrite {
  write: (trx: Transaction<ModelDatabase>) => Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Rows per INSERT: 20 columns × 500 rows stays far below SQLite's bound-parameter limit. */
const BATCH_ROWS = 500;

/** Audit outcomes are `success` / `failure` / `denied`; the ledger's `error` is a failure. */
const AUDIT_OUTCOME: Readonly<Record<string, string>> = { error: "failure" };

/**
 * The `data` of one ledger row's `model:call` audit event, its free-text strings passed
 * through `text`. Every key is fixed here and none is a secret's name; the numbers and the
 * closed sets (provider, error kind) and the call id (a UUID of ours) need no redaction.
 */
export function modelCallAuditData(
  row: LedgerRow,
  text: (value: string) => string,
): Record<string, unknown> {
  return {
    callId: row.id,
    alias: text(row.alias),
    provider: row.provider,
    model: text(row.model),
    ...(row.error_kind ? { errorKind: row.error_kind } : {}),
    tokens: {
      input: row.input_tokens,
      cacheRead: row.cache_read_tokens,
      cacheWrite: row.cache_write_tokens,
      output: row.output_tokens,
      reasoning: row.reasoning_tokens,
    },
    costUsd: row.cost_usd,
    attempts: row.attempts,
    latencyMs: row.latency_ms,
    ...(row.simulated ? { simulated: true } : {}),
    ...(row.run_id ? { runId: text(row.run_id) } : {}),
    ...(row.task_id ? { taskId: text(row.task_id) } : {}),
    ...(row.step_id ? { stepId: text(row.step_id) } : {}),
  };
}

/**
 * The `audit_events` row of one ledger row: who called which model, and how it ended. The
 * same row `auditEventRow` makes of the event (model-ledger.test.ts checks it), without
 * walking every key and number of a shape fixed here: only its free-text strings are
 * redacted (by `redact`: redactSecrets, or a memo of it), which took the walk of a budgeted
 * call from 248 file-to-file transitions to about 150 (`bench/call-route.ts`).
 */
export function modelCallAuditRow(
  row: LedgerRow,
  actor: string,
  redact: (value: string) => string = redactSecrets,
): Insertable<AuditEventTable> {
  return {
    created_at: row.created_at,
    actor,
    action: "model:call",
    resource: `model:${row.alias}`,
    outcome: AUDIT_OUTCOME[row.outcome] ?? row.outcome,
    data: JSON.stringify(modelCallAuditData(row, redact)),
  };
}

/** Distinct strings a ledger keeps redacted before it starts over. */
const REDACTED_MEMO_SIZE = 256;

/**
 * redactSecrets, remembered per string: a ledger's free-text values (aliases, model ids, the
 * ids of runs in progress) repeat from row to row, and redaction is a pure function of the
 * string (compiled patterns only), so each is scanned once rather than once per row.
 */
function memoizedRedaction(): (value: string) => string {
  const redacted = new Map<string, string>();
  return (value) => {
    let result = redacted.get(value);
    if (result === undefined) {
      result = redactSecrets(value);
      if (redacted.size >= REDACTED_MEMO_SIZE) redacted.clear();
      redacted.set(value, result);
    }
    return result;
  };
}

/**
 * Writes one ledger row and one `model:call` audit event per model tried. Rows are buffered and
 * inserted together on the next turn of the event loop, ledger rows and their audit events in
 * one transaction: under fan-out hundreds of calls finish at once, and one INSERT of many rows
 * costs about what one row costs, so auditing each call adds no round trip per call.
 * `flush()` (and `close()`) waits for everything recorded so far to be committed. A budget
 * settle may join the same transaction (`writeAlongside`): its caller waits for that commit
 * and, should it fail, settles on its own.
 */
export class ModelLedger implements LedgerCompanion {
  /** The store's `transaction`, typed with the gateway's tables and bound once. */
  private readonly transaction: ModelTransaction;
  private readonly logger: Logger | undefined;
  private readonly actor: string;
  private readonly redact = memoizedRedaction();
  private buffer: LedgerRow[] = [];
  private alongside: PendingWrite[] = [];
  /** Writes run one after another on this chain. */
  private writes: Promise<void> = Promise.resolve();
  private writeScheduled = false;

  /** `actor` is who the audit trail names for these calls. @defaultValue "gateway" */
  constructor(store: Store, logger?: Logger, actor = "gateway") {
    this.transaction = modelTransaction(store);
    this.logger = logger;
    this.actor = actor;
  }

  record(row: LedgerRow): void {
    this.buffer.push(row);
    this.scheduleWrite();
  }

  /**
   * Runs `write` first in the transaction of the next batch of rows (one commit for both);
   * resolves once that transaction committed. Rejects with the store's error when it failed:
   * then nothing of `write` was kept, it is not tried again here (the caller decides), and
   * the batch's rows are written on their own, with their usual retries.
   */
  writeAlongside(write: (trx: Transaction<ModelDatabase>) => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.alongside.push({ write, resolve, reject });
      this.scheduleWrite();
    });
  }

  private scheduleWrite(): void {
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    this.writes = this.writes
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => this.writeBuffered());
  }

  /** Resolves when every row recorded so far is in the store. */
  async flush(): Promise<void> {
    for (;;) {
      const current = this.writes;
      await current;
      if (current === this.writes && this.buffer.length === 0) return;
    }
  }

  private async writeBuffered(): Promise<void> {
    const rows = this.buffer;
    const alongside = this.alongside;
    this.buffer = [];
    this.alongside = [];
    this.writeScheduled = false;
    if (alongside.length > 0) {
      try {
        await this.transaction(async (trx) => {
          for (const pending of alongside) await pending.write(trx);
          await this.insertRows(trx, rows);
        });
        for (const pending of alongside) pending.resolve();
        return;
      } catch (error) {
        for (const pending of alongside) pending.reject(error);
        if (rows.length === 0) return;
        this.logger?.warn(
          { err: error },
          "could not write model ledger rows with budget settles; writing the rows alone",
        );
      }
    }
    if (rows.length === 0) return;
    const failure = await retryStoreWrite(
      () => this.transaction((trx) => this.insertRows(trx, rows)),
      (error, attempt) =>
        this.logger?.warn({ err: error, attempt }, "could not write model ledger rows"),
    );
    // Must not throw into the model call that happened to trigger the write: the answer is
    // already in hand. The loss is reported loudly instead.
    if (failure !== undefined) {
      this.logger?.error(
        { err: failure.error, rows: rows.length },
        "could not write model ledger rows; they are lost",
      );
    }
  }

  private async insertRows(
    trx: Transaction<ModelDatabase>,
    rows: readonly LedgerRow[],
  ): Promise<void> {
    for (let start = 0; start < rows.length; start += BATCH_ROWS) {
      const batch = rows.slice(start, start + BATCH_ROWS);
      await trx.insertInto("model_calls").values(batch).execute();
      await trx
        .insertInto("audit_events")
        .values(batch.map((row) => modelCallAuditRow(row, this.actor, this.redact)))
        .execute();
    }
  }
}
