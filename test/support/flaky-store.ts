import type { Kysely } from "kysely";
import type { Database, Store } from "../../src/store/index.js";
import { StoreError } from "../../src/store/index.js";

/** A real store whose writes can be made to fail, as a locked or unreachable database would. */
export interface FlakyStore extends Store {
  /**
   * The next `count` writes fail before they start; later ones run normally. A write is a
   * transaction, or a compiled statement run on `db` outside one (`db.executeQuery`: the
   * budget's one-statement reserve and settle on PostgreSQL).
   */
  failNextWrites(count: number): void;
  /** Writes refused so far. */
  readonly refusedWrites: number;
}

/**
 * Wraps `store`: everything goes through to it, except that writes fail on demand with the
 * StoreError a busy database gives. Budget settles and ledger rows are writes; audit events
 * go through `store.audit`, so they still reach the store.
 */
export function flakyStore(store: Store): FlakyStore {
  let failuresLeft = 0;
  let refused = 0;
  const refuse = (): StoreError | undefined => {
    if (failuresLeft === 0) return undefined;
    failuresLeft -= 1;
    refused += 1;
    return new StoreError(`The database ${store.displayUrl} is busy: database is locked`, {
      code: "store.busy",
      driverCode: "SQLITE_BUSY",
    });
  };
  const db = new Proxy(store.db, {
    get(target, property) {
      if (property !== "executeQuery") {
        // Kysely keeps its state in private fields: members run on the real instance.
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      }
      return (query: Parameters<Kysely<Database>["executeQuery"]>[0]) => {
        const error = refuse();
        return error ? Promise.reject(error) : target.executeQuery(query);
      };
    },
  });
  return {
    get dialect() {
      return store.dialect;
    },
    get displayUrl() {
      return store.displayUrl;
    },
    get capabilities() {
      return store.capabilities;
    },
    get db() {
      return db;
    },
    get audit() {
      return store.audit;
    },
    get refusedWrites() {
      return refused;
    },
    failNextWrites(count: number) {
      failuresLeft = count;
    },
    transaction(work) {
      const error = refuse();
      return error ? Promise.reject(error) : store.transaction(work);
    },
    close: () => store.close(),
  };
}
