import { MODEL_MIGRATIONS } from "./models/index.js";
import {
  type OpenStoreOptions,
  openStore,
  STORE_MIGRATIONS,
  type Store,
  type StoreMigration,
} from "./store/index.js";

/**
 * Every layer's migrations, in the order they apply: the store's own, then the model gateway's.
 * Each layer owns its tables; this list, above all layers, is the only place that knows them all.
 */
export const ORKESTRA_MIGRATIONS: readonly StoreMigration[] = [
  ...STORE_MIGRATIONS,
  ...MODEL_MIGRATIONS,
];

/**
 * Opens the store at `url` with every table Orkestra uses (see the store's `openStore` for URLs
 * and errors). This is the package's `openStore`. @defaultValue migrations: ORKESTRA_MIGRATIONS
 */
export function openOrkestraStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  return openStore(url, { migrations: ORKESTRA_MIGRATIONS, ...options });
}
