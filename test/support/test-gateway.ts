import { type ConfigInput, configSchema } from "../../src/config/index.js";
import {
  CircuitBreakerRegistry,
  createGateway,
  type Gateway,
  RateLimiterRegistry,
} from "../../src/models/index.js";
import type { Logger } from "../../src/observability/index.js";
import type { Store } from "../../src/store/index.js";
import type { FakeProviderServer, ProviderShape } from "../../src/testing/index.js";

type ConfigModelInput = NonNullable<ConfigInput["models"]>[string];
type GatewayInput = NonNullable<ConfigInput["gateway"]>;

/**
 * A model as `orkestra.yaml` would configure it, except that a hosted model's `baseURL` may be
 * left out (the fake server's is filled in) and its provider may be any provider shape.
 */
export type TestModelInput =
  | Extract<ConfigModelInput, { provider: "simulated" }>
  | (Omit<Extract<ConfigModelInput, { provider: "openai" }>, "provider"> & {
      provider: ProviderShape;
    });

/** API keys for every provider's default variable: what a test gateway finds in its env. */
export const TEST_API_KEYS: Readonly<Record<string, string>> = {
  OPENAI_API_KEY: "test-openai-key",
  ANTHROPIC_API_KEY: "test-anthropic-key",
  GOOGLE_GENERATIVE_AI_API_KEY: "test-google-key",
  XAI_API_KEY: "test-xai-key",
};

/**
 * Settings that keep a test fast: short backoffs, a per-attempt timeout and deadline that fail
 * a stuck test in seconds, not minutes.
 */
export const FAST_GATEWAY: GatewayInput = {
  attemptTimeoutMs: 5_000,
  deadlineMs: 15_000,
  backoff: { baseMs: 5, capMs: 20 },
};

export interface TestGatewayOptions {
  /** Hosted models without a `baseURL` are pointed at this server's route for their provider. */
  server?: FakeProviderServer;
  models: Readonly<Record<string, TestModelInput>>;
  fallbacks?: Record<string, string[]>;
  /** Merged over {@link FAST_GATEWAY}. */
  gateway?: GatewayInput;
  budget?: ConfigInput["budget"];
  store?: Store;
  /** @defaultValue {@link TEST_API_KEYS} */
  env?: Readonly<Record<string, string | undefined>>;
  logger?: Logger;
  /** Extra values to scrub from errors, as `LoadedConfig.secrets` would give. */
  secrets?: readonly string[];
}

export interface TestGateway {
  gateway: Gateway;
  /** This gateway's own breakers: no state shared with other tests. */
  breakers: CircuitBreakerRegistry;
  /** This gateway's own rate limiters. */
  limiters: RateLimiterRegistry;
}

/** A real Gateway on the fake provider server, with its own breakers and rate limiters. */
export function createTestGateway(options: TestGatewayOptions): TestGateway {
  const models: Record<string, TestModelInput> = {};
  for (const [alias, settings] of Object.entries(options.models)) {
    models[alias] = withServerBaseURL(settings, options.server);
  }
  const config = configSchema.parse({
    models,
    fallbacks: options.fallbacks ?? {},
    gateway: { ...FAST_GATEWAY, ...options.gateway },
    ...(options.budget === undefined ? {} : { budget: options.budget }),
  });
  const breakers = new CircuitBreakerRegistry();
  const limiters = new RateLimiterRegistry();
  const gateway = createGateway({
    config,
    env: options.env ?? TEST_API_KEYS,
    breakers,
    limiters,
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
  });
  return { gateway, breakers, limiters };
}

function withServerBaseURL(
  settings: TestModelInput,
  server: FakeProviderServer | undefined,
): TestModelInput {
  if (settings.provider === "simulated" || server === undefined) return settings;
  if (settings.baseURL !== undefined) return settings;
  return { ...settings, baseURL: server.baseURL[settings.provider] };
}
