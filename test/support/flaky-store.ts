import type { Store } from "../../src/store/index.js";
import { StoreError } from "../../src/store/index.js";

/** A real store whose transactions can be made to fail, as a locked or unreachable database would. */
export interface FlakyStore extends Store {
  /** The next `count` transactions fail before they start; later ones run normally. */
  failNextTransactions(count: number): void;
  /** Transactions refused so far. */
  readonly refusedTransactions: number;
}

/**
 * Wraps `store`: everything goes through to it, except that transactions fail on demand with
 * the StoreError a busy database gives. Budget settles are transactions; ledger rows and audit
 * events are plain inserts, so they still reach the store.
 */
export function flakyStore(store: Store): FlakyStore {
  let failuresLeft = 0;
  let refused = 0;
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
      return store.db;
    },
    get audit() {
      return store.audit;
    },
    get refusedTransactions() {
      return refused;
    },
    failNextTransactions(count: number) {
      failuresLeft = count;
    },
    transaction(work) {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        refused += 1;
        return Promise.reject(
          new StoreError(`The database ${store.displayUrl} is busy: database is locked`, {
            code: "store.busy",
            driverCode: "SQLITE_BUSY",
          }),
        );
      }
      return store.transaction(work);
    },
    close: () => store.close(),
  };
}
