import type { Kysely } from "kysely";
import type { Database, Store } from "../../src/store/index.js";
import { StoreError } from "../../src/store/index.js";

/** A real store whose writes can be made to fail, as a locked or unreachable database would. */
export interface FlakyStore extends Store {
  /** The next `count` transactions fail before they start; later ones run normally. */
  failNextTransactions(count: number): void;
  /**
   * The next `count` compiled statements (`executeQuery`, on `db` or inside a transaction: the
   * budget's reserve, settle and reclaim statements) fail before they run. Inside a
   * transaction the failure rolls the whole transaction back, as a real one would.
   */
  failNextStatements(count: number): void;
  /** Transactions and statements refused so far. */
  readonly refusedWrites: number;
  /** Transactions started (refused ones not counted), and compiled statements run, so far. */
  readonly started: { transactions: number; statements: number };
}

/**
 * Wraps `store`: everything goes through to it, except that writes fail on demand with the
 * StoreError a busy database gives. Audit events go through `store.audit`, so they still
 * reach the store.
 */
export function flakyStore(store: Store): FlakyStore {
  const failuresLeft = { transactions: 0, statements: 0 };
  let refused = 0;
  const started = { transactions: 0, statements: 0 };
  const refuse = (kind: keyof typeof failuresLeft): StoreError | undefined => {
    if (failuresLeft[kind] === 0) {
      started[kind] += 1;
      return undefined;
    }
    failuresLeft[kind] -= 1;
    refused += 1;
    return new StoreError(`The database ${store.displayUrl} is busy: database is locked`, {
      code: "store.busy",
      driverCode: "SQLITE_BUSY",
    });
  };
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
      return failingStatements(store.db, () => refuse("statements"));
    },
    get audit() {
      return store.audit;
    },
    get refusedWrites() {
      return refused;
    },
    started,
    failNextTransactions(count: number) {
      failuresLeft.transactions = count;
    },
    failNextStatements(count: number) {
      failuresLeft.statements = count;
    },
    transaction(work) {
      const error = refuse("transactions");
      if (error) return Promise.reject(error);
      return store.transaction((trx) => work(failingStatements(trx, () => refuse("statements"))));
    },
    close: () => store.close(),
  };
}

/** `db` (or a transaction) whose `executeQuery` fails when `refuse` returns an error. */
function failingStatements<Runner extends Kysely<Database>>(
  runner: Runner,
  refuse: () => StoreError | undefined,
): Runner {
  return new Proxy(runner, {
    get(target, property) {
      // A typed view of the same connection (the gateway's `modelDb`) fails like the original.
      if (property === "withTables") {
        return () => failingStatements(target.withTables(), refuse);
      }
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
}
