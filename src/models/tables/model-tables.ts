import type { Kysely, Transaction } from "kysely";
import type { Database, Store } from "../../store/index.js";

/** The model gateway's tables: the ledger and the budget counters and holds. */
export type ModelTables = {
  model_calls: ModelCallTable;
  budget_counters: BudgetCounterTable;
  budget_reservations: BudgetReservationTable;
};

/** The store's tables with the gateway's: what gateway queries are typed against. */
export type ModelDatabase = Database & ModelTables;

const typed = new WeakMap<Store, Kysely<ModelDatabase>>();

/** The store's connection, typed with the gateway's tables (made once per store). */
export function modelDb(store: Store): Kysely<ModelDatabase> {
  let db = typed.get(store);
  if (db === undefined) {
    db = store.db.withTables<ModelTables>();
    typed.set(store, db);
  }
  return db;
}

/** Runs `work` in one store transaction typed with the gateway's tables. */
export type ModelTransaction = <T>(
  work: (trx: Transaction<ModelDatabase>) => Promise<T>,
) => Promise<T>;

/**
 * The store's own `transaction`, typed with the gateway's tables: `withTables` only widens the
 * type (Kysely copies the transaction with the same connection and plugins), so `work` gets
 * the store's transaction itself. Bound once by a writer on the hot path (the ledger), whose
 * every transaction then goes straight to the store, not through a function of this file.
 */
export function modelTransaction(store: Store): ModelTransaction {
  return store.transaction.bind(store) as ModelTransaction;
}

/** `store.transaction`, with the transaction typed with the gateway's tables. */
export function inModelTransaction<T>(
  store: Store,
  work: (trx: Transaction<ModelDatabase>) => Promise<T>,
): Promise<T> {
  return modelTransaction(store)(work);
}

/** The model ledger: one row per gateway call (per model tried), success or not. */
export interface ModelCallTable {
  /** Random id of the call. */
  id: string;
  /** When the call finished, epoch ms. */
  created_at: number;
  /** Alias from the configuration (`claude`). */
  alias: string;
  /** `anthropic`, `openai`, ..., `simulated`. */
  provider: string;
  /** The provider's model id. */
  model: string;
  /** `success`, `error` or `incomplete` (a stream that failed after content arrived). */
  outcome: string;
  /** ModelError kind when the outcome is not success. */
  error_kind: string | null;
  /** Input tokens not read from or written to a cache. */
  input_tokens: number;
  /** Input tokens read from the provider's prompt cache. */
  cache_read_tokens: number;
  /** Input tokens written to the provider's prompt cache. */
  cache_write_tokens: number;
  /** Output text tokens (reasoning excluded). */
  output_tokens: number;
  /** Reasoning (thinking) output tokens. */
  reasoning_tokens: number;
  /** Cost in USD from the price table. */
  cost_usd: number;
  /** Wall time of the call including retries, ms. */
  latency_ms: number;
  /** HTTP attempts made on this model. */
  attempts: number;
  /** 1 when the provider is simulated. */
  simulated: number;
  /** 1 when the call was streamed. */
  streamed: number;
  /** Workflow run, task and step that made the call, when any. */
  run_id: string | null;
  task_id: string | null;
  step_id: string | null;
}

/**
 * Spend per budget scope and period. Money is integer nano-USD so concurrent reservations
 * compare exactly: `spent + reserved + amount < limit` or the call is refused.
 */
export interface BudgetCounterTable {
  /** `global` or `model:<alias>`. */
  scope: string;
  /** `day:2026-11-21` or `month:2026-11` (UTC). */
  period: string;
  /** Settled spend, nano-USD. */
  spent_nanousd: number;
  /** Held by calls in flight, nano-USD. */
  reserved_nanousd: number;
  updated_at: number;
}

/** A hold on budget counters by one call in flight; reclaimed when it expires (crashed caller). */
export interface BudgetReservationTable {
  id: string;
  scope: string;
  period: string;
  amount_nanousd: number;
  created_at: number;
  /** After this, epoch ms, the hold is released by the next reservation. */
  expires_at: number;
}
