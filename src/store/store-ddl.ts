import type { ColumnDataType, ColumnDefinitionBuilder, Kysely } from "kysely";

/**
 * The DDL spellings that differ between backends, provided by each backend folder so that
 * migrations (of every layer) never branch on the backend's name.
 */
export interface StoreDdl {
  /** Column type of an identity column: {@link identity} makes it the primary key. */
  readonly identityType: ColumnDataType;
  /** A primary key that grows with every insert and never reuses a value. */
  identity(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** Makes `table` append-only: UPDATE and DELETE (and TRUNCATE, where it exists) fail with `message`. */
  refuseChanges(db: Kysely<unknown>, table: string, message: string): Promise<void>;
  /**
   * Makes text `columns` of `table` compare byte by byte (ids, keys: no language rules), which
   * keeps their index comparisons a memcmp. A no-op where text already compares so (SQLite).
   */
  compareBytewise(db: Kysely<unknown>, table: string, columns: readonly string[]): Promise<void>;
  /**
   * Replaces the UNIQUE constraint `constraint` of an optional `column` by a unique index
   * `index` over the rows that have a value, so rows without one (most) cost no index entry on
   * every write of the row. Where a constraint cannot be dropped without rebuilding the table
   * (SQLite), it stays as it is.
   */
  uniqueWherePresent(
    db: Kysely<unknown>,
    spec: { table: string; column: string; constraint: string; index: string },
  ): Promise<void>;
}
