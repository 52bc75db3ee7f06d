import { CONSENSUS_MIGRATIONS } from "./consensus/store/0005-votes.js";
import { ENGINE_MIGRATIONS } from "./engine/store/engine-migrations.js";
import {
  type OpenStoreOptions,
  openStore,
  STORE_MIGRATIONS,
  type Store,
  type StoreMigration,
} from "./store/index.js";

/**
 * Every migration of every layer, oldest first. Every opener passes all of them, so a store
 * migrated by `orkestra run` never looks "newer" to `orkestra ask`.
 */
export const ORKESTRA_MIGRATIONS: readonly StoreMigration[] = [
  ...STORE_MIGRATIONS,
  ...ENGINE_MIGRATIONS,
  ...CONSENSUS_MIGRATIONS,
];

/** openStore with every layer's migrations. */
export function openOrkestraStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  return openStore(url, { migrations: ORKESTRA_MIGRATIONS, ...options });
}
