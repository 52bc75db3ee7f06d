import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/** Distinct SQL texts kept prepared; the gateway's hot path uses a handful. @defaultValue 256 */
const DEFAULT_CAPACITY = 256;

/**
 * The database as Kysely's SQLite driver sees it, with prepared statements reused by SQL text.
 * Kysely prepares every query anew; preparing is most of a small query's cost (with a budget
 * each model call runs ~8 statements; when the cache came in, 300–400 µs a call were saved,
 * see `6bde81c`; bench/budgets.ts measures what a budgeted call costs on SQLite today). A statement still busy (an open iterator) is never handed out twice: a fresh one is
 * prepared for that use. SQLite re-prepares cached statements itself after a schema change.
 */
export function withStatementCache(
  database: BetterSqlite3.Database,
  capacity = DEFAULT_CAPACITY,
): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached && !cached.busy) {
        // Map order is insertion order: re-inserting marks it most recently used.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      if (cached) return statement;
      statements.set(sql, statement);
      if (statements.size > capacity) {
        const oldest = statements.keys().next().value;
        if (oldest !== undefined) statements.delete(oldest);
      }
      return statement;
    },
  };
}
