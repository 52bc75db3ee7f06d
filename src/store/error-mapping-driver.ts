import type {
  AbortableOperationOptions,
  CompiledQuery,
  ControlConnectionProvider,
  DatabaseConnection,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from "kysely";
import { StoreError } from "./store-error.js";

/** Turns whatever a driver threw into a StoreError; `closed` says the store was closed already. */
export type StoreErrorMapper = (error: unknown, closed: boolean) => StoreError;

type Compile = QueryCompiler["compileQuery"];

/**
 * Wraps a backend's Kysely driver (PostgreSQL's; the SQLite backend has a driver of its own
 * that does the same, sqlite/sqlite-driver.ts) so that every error leaving `store.db` is a
 * StoreError, and so that a closed store answers `store.closed`: after close we hand out a
 * connection that fails each query rather than failing to acquire one, as a runtime that holds
 * a lock from acquiring a connection until releasing it needs.
 */
export class ErrorMappingDriver implements Driver {
  readonly #inner: Driver;
  readonly #mapError: StoreErrorMapper;
  readonly #wrapped = new WeakMap<DatabaseConnection, MappedConnection>();
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(inner: Driver, mapError: StoreErrorMapper) {
    this.#inner = inner;
    this.#mapError = mapError;
  }

  async init(options?: AbortableOperationOptions): Promise<void> {
    await this.#call(() => this.#inner.init(options));
  }

  async acquireConnection(options?: AbortableOperationOptions): Promise<DatabaseConnection> {
    if (this.#closed) return new ClosedConnection(this.#mapError);
    const inner = await this.#call(() => this.#inner.acquireConnection(options));
    let connection = this.#wrapped.get(inner);
    if (!connection) {
      connection = new MappedConnection(inner, (error) => this.#mapError(error, this.#closed));
      this.#wrapped.set(inner, connection);
    }
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    await this.#on(connection, (inner) => this.#inner.beginTransaction(inner, settings));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#on(connection, (inner) => this.#inner.commitTransaction(inner));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#on(connection, (inner) => this.#inner.rollbackTransaction(inner));
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    await this.#on(connection, (inner) => this.#inner.savepoint!(inner, name, compile));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: Compile) {
    await this.#on(connection, (inner) => this.#inner.rollbackToSavepoint!(inner, name, compile));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: Compile) {
    await this.#on(connection, (inner) => this.#inner.releaseSavepoint!(inner, name, compile));
  }

  async releaseConnection(
    connection: DatabaseConnection,
    options?: AbortableOperationOptions,
  ): Promise<void> {
    if (connection instanceof ClosedConnection) return;
    await this.#on(connection, (inner) => this.#inner.releaseConnection(inner, options));
  }

  /** Kysely's `destroy` lands here too; either path closes the backend once. */
  async destroy(): Promise<void> {
    await this.close();
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#inner.destroy();
    return this.#closing;
  }

  /** Runs a driver operation on the backend's own connection object, which the backend needs. */
  async #on(
    connection: DatabaseConnection,
    operation: (inner: DatabaseConnection) => Promise<void>,
  ) {
    if (!(connection instanceof MappedConnection)) throw this.#mapError(closedError(), true);
    await this.#call(() => operation(connection.inner));
  }

  async #call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw StoreError.isInstance(error) ? error : this.#mapError(error, this.#closed);
    }
  }
}

class MappedConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection;
  readonly #mapError: (error: unknown) => StoreError;
  // Kysely decides which abort strategies work by whether these exist, so mirror the backend.
  readonly collectSessionInfo?: () => Promise<void>;
  readonly cancelQuery?: (provider: ControlConnectionProvider) => Promise<void>;
  readonly killSession?: (provider: ControlConnectionProvider) => Promise<void>;

  constructor(inner: DatabaseConnection, mapError: (error: unknown) => StoreError) {
    this.inner = inner;
    this.#mapError = mapError;
    if (inner.collectSessionInfo) this.collectSessionInfo = () => inner.collectSessionInfo!();
    if (inner.cancelQuery) this.cancelQuery = (provider) => inner.cancelQuery!(provider);
    if (inner.killSession) this.killSession = (provider) => inner.killSession!(provider);
  }

  async executeQuery<R>(
    compiledQuery: CompiledQuery,
    options?: AbortableOperationOptions,
  ): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(compiledQuery, options);
    } catch (error) {
      throw StoreError.isInstance(error) ? error : this.#mapError(error);
    }
  }

  async *streamQuery<R>(
    compiledQuery: CompiledQuery,
    chunkSize: number,
    options?: AbortableOperationOptions,
  ): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(compiledQuery, chunkSize, options);
    } catch (error) {
      throw StoreError.isInstance(error) ? error : this.#mapError(error);
    }
  }
}

class ClosedConnection implements DatabaseConnection {
  readonly #mapError: StoreErrorMapper;

  constructor(mapError: StoreErrorMapper) {
    this.#mapError = mapError;
  }

  async executeQuery<R>(): Promise<QueryResult<R>> {
    throw this.#mapError(closedError(), true);
  }

  // biome-ignore lint/correctness/useYield: a closed store fails before producing anything
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw this.#mapError(closedError(), true);
  }
}

function closedError(): Error {
  return new Error("the store is closed");
}
