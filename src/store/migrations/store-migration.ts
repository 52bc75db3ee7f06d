import type { Kysely } from "kysely";
import type { StoreCapabilities } from "../store.js";
import type { StoreDdl } from "../store-ddl.js";

/** What a migration learns of the backend it runs on: named differences, never its name. */
export interface MigrationBackend {
  readonly capabilities: StoreCapabilities;
  readonly ddl: StoreDdl;
}

/**
 * One versioned schema change. Names sort in the order they apply (`0001-…`, `0002-…`) and are
 * never renamed once released: the migration table records them. Each layer owns the
 * migrations of its tables; `openStore({ migrations })` applies the list it is given.
 */
export interface StoreMigration {
  readonly name: string;
  /** Runs inside the migration transaction; `backend.ddl` spells what differs between backends. */
  up(db: Kysely<unknown>, backend: MigrationBackend): Promise<void>;
}
