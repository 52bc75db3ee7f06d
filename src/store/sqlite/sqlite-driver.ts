import { setTimeout as sleep } from "node:timers/promises";
import type BetterSqlite3 from "better-sqlite3";
import {
  CompiledQuery,
  createQueryId,
  type DatabaseConnection,
  type Driver,
  IdentifierNode,
  type QueryCompiler,
  type QueryResult,
  RawNode,
  SelectQueryNode,
} from "kysely";
import type { StoreError } from "../store-error.js";
import { isSqliteBusy, mapSqliteError } from "./sqlite-errors.js";

/** Distinct SQL texts kept prepared; the gateway's hot path uses a handful. @defaultValue 256 */
const DEFAULT_CAPACITY = 256;

/**
 * Prepared statements reused by SQL text. Kysely prepares every query anew; preparing is most
 * of a small query's cost (with a budget each model call runs ~8 statements; when the cache
 * came in, 300–400 µs a call were saved, see `6bde81c`; bench/budgets.ts measures what a
 * budgeted call costs on SQLite today). A statement still busy (an open iterator) is never
 * handed out twice: a fresh one is prepared for that use. SQLite re-prepares cached statements
 * itself after a schema change.
 */
export class SqliteStatementCache {
  readonly #database: BetterSqlite3.Database;
  readonly #capacity: number;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(database: BetterSqlite3.Database, capacity = DEFAULT_CAPACITY) {
    this.#database = database;
    this.#capacity = capacity;
  }

  prepare(sql: string): BetterSqlite3.Statement {
    const statements = this.#statements;
    const cached = statements.get(sql);
    if (cached && !cached.busy) {
      // Map order is insertion order: re-inserting marks it most recently used.
      statements.delete(sql);
      statements.set(sql, cached);
      return cached;
    }
    const statement = this.#database.prepare(sql);
    if (cached) return statement;
    statements.set(sql, statement);
    if (statements.size > this.#capacity) {
      const oldest = statements.keys().next().value;
      if (oldest !== undefined) statements.delete(oldest);
    }
    return statement;
  }

  clear(): void {
    this.#statements.clear();
  }
}

/** Turns what better-sqlite3 threw into a StoreError; `closed` says the store was closed. */
type MapError = (error: unknown, closed: boolean) => StoreError;

/**
 * The store's SQLite driver: one better-sqlite3 connection (Kysely's runtime serialises its
 * use, the adapter saying it has no other), statements from a SqliteStatementCache, every
 * error a StoreError, and transactions that take the write lock up front. A deferred `BEGIN`
 * that reads and then writes gets SQLITE_BUSY at once when another process committed in
 * between (the busy timeout does not apply to that upgrade), while `BEGIN IMMEDIATE` waits for
 * the lock under the busy timeout and then reads current data.
 *
 * One driver does all of it, not a wrapper that maps errors around Kysely's driver around a
 * statement cache: every statement of a call then runs in this file alone (the walk of a
 * budgeted call, `bench/call-route.ts`, went through three files per statement before).
 *
 * Once closed, it hands out a connection that fails each query with `store.closed` rather than
 * failing to hand one out: Kysely's runtime holds a mutex from acquiring the connection until
 * releasing it, and a caller that never got a connection would never release it.
 */
export class SqliteStoreDriver implements Driver {
  readonly #database: BetterSqlite3.Database;
  readonly #statements: SqliteStatementCache;
  readonly #connection: SqliteConnection;
  readonly #closedConnection: ClosedSqliteConnection;
  #closed = false;

  /** `lockWaitMs`: how long a statement waits for the write lock before failing `store.busy`. */
  constructor(database: BetterSqlite3.Database, displayUrl: string, lockWaitMs: number) {
    this.#database = database;
    this.#statements = new SqliteStatementCache(database);
    const mapError: MapError = (error, closed) => mapSqliteError(error, closed, displayUrl);
    this.#connection = new SqliteConnection(
      database,
      this.#statements,
      (error) => mapError(error, this.#closed),
      lockWaitMs,
    );
    this.#closedConnection = new ClosedSqliteConnection(() => mapError(closedError(), true));
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#closed ? this.#closedConnection : this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(BEGIN_IMMEDIATE);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(COMMIT);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(ROLLBACK);
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    await connection.executeQuery(savepointCommand("savepoint", name, compile));
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Compile,
  ): Promise<void> {
    await connection.executeQuery(savepointCommand("rollback to", name, compile));
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Compile,
  ): Promise<void> {
    await connection.executeQuery(savepointCommand("release", name, compile));
  }

  async releaseConnection(): Promise<void> {}

  /** Kysely's `destroy` lands here too; either path closes the database once. */
  async destroy(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#statements.clear();
    if (this.#database.open) this.#database.close();
  }
}

type Compile = QueryCompiler["compileQuery"];

const BEGIN_IMMEDIATE = CompiledQuery.raw("begin immediate");
const COMMIT = CompiledQuery.raw("commit");
const ROLLBACK = CompiledQuery.raw("rollback");

function savepointCommand(command: string, name: string, compile: Compile): CompiledQuery {
  // The name as an identifier node, so the compiler quotes it.
  const node = RawNode.createWithChildren([
    RawNode.createWithSql(`${command} `),
    IdentifierNode.create(name),
  ]);
  return compile(node, createQueryId());
}

/** Longest pause between two tries for the write lock. */
const MAX_LOCK_POLL_MS = 25;

/**
 * The one connection: Kysely's SqliteConnection, with cached statements and StoreErrors, and a
 * wait for the write lock that leaves the event loop free.
 *
 * SQLite's own busy timeout sleeps inside the call, so a process waiting for the lock ran
 * nothing else meanwhile: no timer, no heartbeat, and, with two stores on one file in one
 * process, not the transaction it was waiting for, which could only commit once the wait had
 * failed (`store.busy` after the whole timeout). The database is opened with no busy timeout
 * instead; a statement that finds the file locked (SQLITE_BUSY) outside a transaction had no
 * effect, so it is tried again after an asynchronous pause (1 ms, doubling to 25, jittered)
 * until `lockWaitMs` have passed. `BEGIN IMMEDIATE` is such a statement: every transaction
 * waits this way for its lock. Inside a transaction, which already holds the lock, nothing is
 * retried.
 */
class SqliteConnection implements DatabaseConnection {
  readonly #database: BetterSqlite3.Database;
  readonly #statements: SqliteStatementCache;
  readonly #mapError: (error: unknown) => StoreError;
  readonly #lockWaitMs: number;

  constructor(
    database: BetterSqlite3.Database,
    statements: SqliteStatementCache,
    mapError: (error: unknown) => StoreError,
    lockWaitMs: number,
  ) {
    this.#database = database;
    this.#statements = statements;
    this.#mapError = mapError;
    this.#lockWaitMs = lockWaitMs;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return this.#run(compiledQuery);
    } catch (error) {
      if (!this.#mayRetry(error)) throw this.#mapError(error);
      return this.#runOnceUnlocked(compiledQuery, error);
    }
  }

  #run<R>(compiledQuery: CompiledQuery): QueryResult<R> {
    const statement = this.#statements.prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return {
      insertId: lastInsertRowid != null ? BigInt(lastInsertRowid) : undefined,
      numAffectedRows: changes != null ? BigInt(changes) : undefined,
      rows: [],
    };
  }

  #mayRetry(error: unknown): boolean {
    return isSqliteBusy(error) && !this.#database.inTransaction;
  }

  async #runOnceUnlocked<R>(compiledQuery: CompiledQuery, busy: unknown): Promise<QueryResult<R>> {
    const deadline = performance.now() + this.#lockWaitMs;
    let lastError = busy;
    let pauseMs = 1;
    for (;;) {
      const leftMs = deadline - performance.now();
      if (leftMs <= 0) throw this.#mapError(lastError);
      await sleep(Math.min(leftMs, pauseMs * (0.5 + Math.random())));
      pauseMs = Math.min(pauseMs * 2, MAX_LOCK_POLL_MS);
      try {
        return this.#run(compiledQuery);
      } catch (error) {
        if (!this.#mayRetry(error)) throw this.#mapError(error);
        lastError = error;
      }
    }
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    try {
      if (!SelectQueryNode.is(compiledQuery.query)) {
        throw new Error("The SQLite driver only supports streaming of select queries");
      }
      const statement = this.#statements.prepare(compiledQuery.sql);
      for (const row of statement.iterate(compiledQuery.parameters as unknown[])) {
        yield { rows: [row as R] };
      }
    } catch (error) {
      throw this.#mapError(error);
    }
  }
}

class ClosedSqliteConnection implements DatabaseConnection {
  readonly #error: () => StoreError;

  constructor(error: () => StoreError) {
    this.#error = error;
  }

  async executeQuery<R>(): Promise<QueryResult<R>> {
    throw this.#error();
  }

  // biome-ignore lint/correctness/useYield: a closed store fails before producing anything
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw this.#error();
  }
}

function closedError(): Error {
  return new Error("the store is closed");
}
