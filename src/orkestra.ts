import { type LoadConfigOptions, type LoadedConfig, loadConfig } from "./config/index.js";
import {
  type AskOptions,
  type AskOutcome,
  ask,
  createGateway,
  type Gateway,
} from "./models/index.js";
import { createLogger, type Logger } from "./observability/index.js";
import type { Store } from "./store/index.js";
import { openOrkestraStore } from "./store-schema.js";

export interface CreateOrkestraOptions extends LoadConfigOptions {
  /** @defaultValue a logger at the configured level, writing to stderr */
  logger?: Logger;
  /** Who the audit trail names. @defaultValue "library" */
  actor?: string;
}

/** Everything `orkestra` commands use, assembled the same way for library users. */
export interface Orkestra {
  loaded: LoadedConfig;
  store: Store;
  gateway: Gateway;
  logger: Logger;
  /** What `orkestra ask` does. */
  ask(prompt: string, options?: AskOptions): Promise<AskOutcome>;
  /** Flushes the ledger and closes the store. */
  close(): Promise<void>;
}

/**
 * Loads `orkestra.yaml` (or `configPath`), opens the store it names and builds the gateway:
 *
 * ```ts
 * const orkestra = await createOrkestra();
 * const { results } = await orkestra.ask("Name three fallback strategies", { models: ["claude", "gpt"] });
 * await orkestra.close();
 * ```
 */
export async function createOrkestra(options: CreateOrkestraOptions = {}): Promise<Orkestra> {
  const loaded = await loadConfig(options);
  const logger =
    options.logger ?? createLogger({ level: loaded.config.log.level, secrets: loaded.secrets });
  const store = await openOrkestraStore(loaded.storeUrl);
  const gateway = createGateway({
    config: loaded.config,
    store,
    logger,
    ...(options.env === undefined ? {} : { env: options.env }),
    secrets: loaded.secrets,
    actor: options.actor ?? "library",
  });
  return {
    loaded,
    store,
    gateway,
    logger,
    ask: (prompt, askOptions) => ask(gateway, prompt, askOptions),
    close: async () => {
      await gateway.close();
      await store.close();
    },
  };
}
