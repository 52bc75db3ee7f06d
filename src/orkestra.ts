import { type LoadConfigOptions, type LoadedConfig, loadConfig } from "./config/index.js";
import { type VoteRequest, type VoteResult, vote } from "./consensus/index.js";
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

/** What a gateway is built from besides the loaded configuration. */
export interface OrkestraGatewayParts {
  store: Store;
  logger: Logger;
  env?: Readonly<Record<string, string | undefined>>;
  actor: string;
}

/**
 * The gateway on a loaded configuration, wired the one way every entry point uses: the
 * configuration's secrets scrubbed from errors, the ledger and budgets in `store`.
 */
export function createOrkestraGateway(loaded: LoadedConfig, parts: OrkestraGatewayParts): Gateway {
  return createGateway({
    config: loaded.config,
    store: parts.store,
    logger: parts.logger,
    ...(parts.env === undefined ? {} : { env: parts.env }),
    secrets: loaded.secrets,
    actor: parts.actor,
  });
}

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
  /** What `orkestra vote` does: a committee decides, every ballot recorded in the store. */
  vote(request: VoteRequest): Promise<VoteResult>;
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
  const gateway = createOrkestraGateway(loaded, {
    store,
    logger,
    ...(options.env === undefined ? {} : { env: options.env }),
    actor: options.actor ?? "library",
  });
  return {
    loaded,
    store,
    gateway,
    logger,
    ask: (prompt, askOptions) => ask(gateway, prompt, askOptions),
    vote: (request) => vote(gateway, store, request, { actor: options.actor ?? "library" }),
    close: async () => {
      await gateway.close();
      await store.close();
    },
  };
}
