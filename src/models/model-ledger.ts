import type { Insertable } from "kysely";
import type { Logger } from "../observability/index.js";
import type { ModelCallTable, Store } from "../store/index.js";

export type LedgerRow = Insertable<ModelCallTable>;

/** Rows per INSERT: 20 columns × 500 rows stays far below SQLite's bound-parameter limit. */
const BATCH_ROWS = 500;

/**
 * Writes one ledger row per model tried. Rows are buffered and inserted together on the next
 * turn of the event loop: under fan-out hundreds of calls finish at once, and one INSERT of
 * many rows costs about what one row costs. `flush()` (and `close()`) waits for everything
 * recorded so far to be committed. Budget counters are NOT batched: they are settled inside
 * each call, because they guard spending.
 */
export class ModelLedger {
  private readonly store: Store;
  private readonly logger: Logger | undefined;
  private buffer: LedgerRow[] = [];
  /** Writes run one after another on this chain. */
  private writes: Promise<void> = Promise.resolve();
  private writeScheduled = false;

  constructor(store: Store, logger?: Logger) {
    this.store = store;
    this.logger = logger;
  }

  record(row: LedgerRow): void {
    this.buffer.push(row);
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
    this.buffer = [];
    this.writeScheduled = false;
    try {
      for (let start = 0; start < rows.length; start += BATCH_ROWS) {
        await this.store.db
          .insertInto("model_calls")
          .values(rows.slice(start, start + BATCH_ROWS))
          .execute();
      }
    } catch (error) {
      // Must not throw into the model call that happened to trigger the write: the answer
      // is already in hand. The loss is reported loudly instead.
      this.logger?.error({ err: error, rows: rows.length }, "could not write model ledger rows");
    }
  }
}
