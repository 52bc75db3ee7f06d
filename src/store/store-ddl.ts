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
}
