import { CONSENSUS_MIGRATIONS } from "./consensus/store/0005-votes.js";
import { ENGINE_MIGRATIONS } from "./engine/store/engine-migrations.js";
import { MODEL_MIGRATIONS } from "./models/tables/model-migrations.js";
import { QUEUE_MIGRATIONS } from "./queue/queue-migrations.js";
import {
  type OpenStoreOptions,
  openStore,
  STORE_MIGRATIONS,
  type Store,
  type StoreMigration,
} from "./store/index.js";

/**
 * Every layer's migrations, in the order they apply: the store's own, the model gateway's, the
 * workflow engine's, the committees', the queue's. Each layer owns its tables; this list, above all layers,
 * is the only place that knows them all, so a store migrated by `orkestra run` never looks
 * "newer" to `orkestra ask`.
 */
export const ORKESTRA_MIGRATIONS: readonly StoreMigration[] = [
  ...STORE_MIGRATIONS,
  ...MODEL_MIGRATIONS,
  ...ENGINE_MIGRATIONS,
  ...CONSENSUS_MIGRATIONS,
  ...QUEUE_MIGRATIONS,
];

/**
 * Opens the store at `url` with every table Orkestra uses (see the store's `openStore` for URLs
 * and errors). This is the package's `openStore`. @defaultValue migrations: ORKESTRA_MIGRATIONS
 */
export function openOrkestraStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  return openStore(url, { migrations: ORKESTRA_MIGRATIONS, ...options });
}
