import type { Kysely, Transaction } from "kysely";
import { type AuditLog, createAuditLog } from "./audit-log.js";
import type { Database } from "./database.js";
import { migrateStore } from "./migrations/migrate-store.js";
import type { StoreMigration } from "./migrations/store-migration.js";
import { STORE_MIGRATIONS } from "./migrations/store-migrations.js";
import type { Store, StoreCapabilities, StoreDialect, StoreSubscription } from "./store.js";
import type { StoreBackend, StoreQueryEvent } from "./store-backend.js";
import { StoreError } from "./store-error.js";
import { parseStoreUrl, type StoreTarget } from "./store-url.js";

export interface OpenStoreOptions {
  /**
   * Apply pending migrations before returning, and refuse a database migrated by a newer
   * Orkestra. When false, nothing is checked: for tools that only inspect.
   * @defaultValue true
   */
  migrate?: boolean;
  /**
   * The migrations to apply, oldest first: every table the caller's layers own. A database that
   * has migrations outside this list is refused as migrated by a newer Orkestra.
   * @defaultValue STORE_MIGRATIONS, the store's own (its audit table); `openOrkestraStore` (the
   * package's `openStore`) passes every layer's.
   */
  migrations?: readonly StoreMigration[];
  /** How long a SQLite write waits for another process's write lock, in ms. @defaultValue 5000 */
  sqliteBusyTimeoutMs?: number;
  /**
   * Told of every statement the store runs once it has succeeded, with its SQL, parameters and
   * duration: for counting statements and bytes in tests and benchmarks. Transaction control
   * (BEGIN, COMMIT) is not included. Parameters may hold secrets, so never log them. Without
   * it nothing is wrapped.
   */
  onQuery?: (query: StoreQueryEvent) => void;
}

/**
 * Opens the store at `url`: `sqlite:<path>` (created with its directories when missing;
 * `sqlite::memory:` for tests) or `postgres://…` / `postgresql://…` with an optional
 * `?schema=<name>` that is created when missing and becomes the `search_path`.
 * Throws StoreError: `store.invalid_url`, `store.connect`, `store.busy`, `store.migrate`,
 * `store.newer_schema`.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const target = parseStoreUrl(url);
  const backend = await openBackend(target, options);
  try {
    if (options.migrate ?? true) {
      await migrateStore(backend.db, {
        backend,
        schema: backend.schema,
        migrations: options.migrations ?? STORE_MIGRATIONS,
      });
    }
  } catch (error) {
    await backend.close().catch(() => {});
    throw error;
  }
  return new OpenedStore(backend, target.displayUrl);
}

/** Backends load lazily, so SQLite users never load `pg` and PostgreSQL users never load the SQLite addon. */
async function openBackend(target: StoreTarget, options: OpenStoreOptions): Promise<StoreBackend> {
  if (target.dialect === "sqlite") {
    const { openSqliteBackend } = await import("./sqlite/sqlite-backend.js");
    return openSqliteBackend(target.path, target.displayUrl, options);
  }
  const { openPostgresBackend } = await import("./postgres/postgres-backend.js");
  return openPostgresBackend(target.connectionString, target.schema, target.displayUrl, options);
}

class OpenedStore implements Store {
  readonly dialect: StoreDialect;
  readonly displayUrl: string;
  readonly capabilities: StoreCapabilities;
  readonly db: Kysely<Database>;
  readonly audit: AuditLog;
  readonly listen?: (
    channel: string,
    onNotify: (payload: string | undefined) => void,
  ) => Promise<StoreSubscription>;
  readonly dataVersion?: () => number;
  readonly #backend: StoreBackend;
  readonly #subscriptions = new Set<StoreSubscription>();
  #closing: Promise<void> | undefined;

  constructor(backend: StoreBackend, displayUrl: string) {
    this.#backend = backend;
    this.dialect = backend.dialect;
    this.capabilities = backend.capabilities;
    this.db = backend.db;
    this.displayUrl = displayUrl;
    this.audit = createAuditLog(backend.db);
    if (backend.dataVersion) this.dataVersion = backend.dataVersion;
    const listen = backend.listen;
    if (listen) this.listen = (channel, onNotify) => this.#listen(listen, channel, onNotify);
  }

  async #listen(
    listen: NonNullable<StoreBackend["listen"]>,
    channel: string,
    onNotify: (payload: string | undefined) => void,
  ): Promise<StoreSubscription> {
    if (this.#closing) throw closedStoreError(this.displayUrl);
    const inner = await listen(channel, onNotify);
    const subscriptions = this.#subscriptions;
    const subscription: StoreSubscription = {
      get listening() {
        return inner.listening;
      },
      close: () => {
        subscriptions.delete(subscription);
        return inner.close();
      },
    };
    subscriptions.add(subscription);
    if (this.#closing) await subscription.close();
    return subscription;
  }

  async transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    if (this.#closing) throw closedStoreError(this.displayUrl);
    return this.db.transaction().execute(work);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all([...this.#subscriptions].map((subscription) => subscription.close()));
      await this.#backend.close();
    })();
    return this.#closing;
  }
}

function closedStoreError(displayUrl: string): StoreError {
  return new StoreError(`The store ${displayUrl} is closed.`, {
    code: "store.closed",
    hint: "Open a new store with openStore().",
  });
}
