import type { Kysely } from "kysely";
import type { StoreDialect } from "../store.js";

/**
 * One versioned schema change. Names sort in the order they apply (`0001-…`, `0002-…`) and are
 * never renamed once released: the migration table records them.
 */
export interface StoreMigration {
  readonly name: string;
  /** Runs inside the migration transaction; `dialect` picks the few DDL spellings that differ. */
  up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void>;
}
