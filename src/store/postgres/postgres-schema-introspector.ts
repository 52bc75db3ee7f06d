import {
  type DatabaseIntrospector,
  type DatabaseMetadataOptions,
  type Kysely,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from "kysely";
import { DEFAULT_MIGRATION_LOCK_TABLE, DEFAULT_MIGRATION_TABLE } from "kysely/migration";

/** What Kysely's own introspector leaves out unless asked: its default migration tables. */
const KYSELY_TABLES = new Set([DEFAULT_MIGRATION_TABLE, DEFAULT_MIGRATION_LOCK_TABLE]);

interface ColumnRow {
  table_name: string;
  table_type: string;
  column_name: string | null;
  data_type: string | null;
  is_nullable: string | null;
  column_default: string | null;
  is_identity: string | null;
}

/**
 * Kysely's introspector, limited to the store's own schema. Kysely's PostgresIntrospector scans
 * every schema and resolves each column's serial sequence by name, so a schema that another
 * client drops meanwhile fails the scan with "schema … does not exist" (seen when parallel
 * tests drop their schemas while a store migrates: the migrator asks whether its tables exist).
 * A store only ever asks about its own tables.
 */
export class PostgresSchemaIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>;
  readonly #schema: string;

  constructor(db: Kysely<unknown>, schema: string) {
    this.#db = db;
    this.#schema = schema;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`
      select nspname as name from pg_catalog.pg_namespace where nspname = ${this.#schema}
    `.execute(this.#db);
    return rows;
  }

  async getTables(
    options: DatabaseMetadataOptions = { withInternalKyselyTables: false },
  ): Promise<TableMetadata[]> {
    const { rows } = await sql<ColumnRow>`
      select t.table_name, t.table_type, c.column_name, c.data_type, c.is_nullable,
             c.column_default, c.is_identity
      from information_schema.tables t
      left join information_schema.columns c
        on c.table_schema = t.table_schema and c.table_name = t.table_name
      where t.table_schema = ${this.#schema}
      order by t.table_name, c.ordinal_position
    `.execute(this.#db);
    const tables = new Map<string, TableMetadata>();
    for (const row of rows) {
      if (!options.withInternalKyselyTables && KYSELY_TABLES.has(row.table_name)) continue;
      let table = tables.get(row.table_name);
      if (!table) {
        table = {
          name: row.table_name,
          schema: this.#schema,
          isView: row.table_type === "VIEW",
          isForeign: row.table_type === "FOREIGN",
          columns: [],
        };
        tables.set(row.table_name, table);
      }
      if (row.column_name === null) continue;
      const autoIncrementing =
        row.is_identity === "YES" || (row.column_default?.startsWith("nextval(") ?? false);
      table.columns.push({
        name: row.column_name,
        dataType: row.data_type ?? "unknown",
        isNullable: row.is_nullable === "YES",
        isAutoIncrementing: autoIncrementing,
        hasDefaultValue: row.column_default !== null || row.is_identity === "YES",
      });
    }
    return [...tables.values()];
  }
}
