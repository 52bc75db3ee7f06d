import type { LanguageModelV4 } from "@ai-sdk/provider";
import { modelSecrets } from "../../config/model-secrets.js";
import type { ModelConfig, ProviderName } from "../../config/model-settings-schema.js";
import { DEFAULT_API_KEY_ENV } from "../errors/model-error-hint.js";
import { labelledModelError } from "../errors/model-error-message.js";
import { SimulatedLanguageModel } from "./simulated/simulated-model.js";

/** A configured model, ready to call. */
export interface ModelHandle {
  alias: string;
  provider: ProviderName;
  /** The provider's model id. */
  modelId: string;
  settings: ModelConfig;
  simulated: boolean;
  model: LanguageModelV4;
}

export interface ProviderRegistryOptions {
  models: Readonly<Record<string, ModelConfig>>;
  /** Where API keys are looked up. @defaultValue process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Replaces global fetch for every provider (tests, proxies). */
  fetch?: typeof globalThis.fetch;
  /**
   * More values to scrub from errors, on top of the API keys and header values the registry
   * finds itself: `LoadedConfig.secrets` (values of `${VAR}`).
   */
  secrets?: readonly string[];
}

function apiKeyFor(
  alias: string,
  settings: ModelConfig,
  env: ProviderRegistryOptions["env"],
): string | undefined {
  if (settings.provider === "simulated") return undefined;
  const variable = settings.apiKeyEnv ?? DEFAULT_API_KEY_ENV[settings.provider];
  if (variable === undefined) return undefined;
  const key = env?.[variable];
  if (key) return key;
  if (settings.provider === "openai-compatible" && settings.apiKeyEnv === undefined)
    return undefined;
  throw labelledModelError(
    { alias: alias, provider: settings.provider, modelId: settings.model },
    `no API key: ${variable} is not set`,
    {
      kind: "auth",
      providerCode: "missing_api_key",
      hint: `Export ${variable}, or point models.${alias}.apiKeyEnv at the variable that holds the key.`,
    },
  );
}

/**
 * The provider's model. Each AI SDK provider package is imported here, when a model of that
 * provider is first resolved, not when the gateway is built: together they are most of what a
 * start would otherwise load, and a simulated model needs none of them.
 */
async function createLanguageModel(
  alias: string,
  settings: ModelConfig,
  apiKey: string | undefined,
  options: ProviderRegistryOptions,
): Promise<LanguageModelV4> {
  if (settings.provider === "simulated") return new SimulatedLanguageModel(alias, settings);
  const common = {
    ...(settings.baseURL === undefined ? {} : { baseURL: settings.baseURL }),
    ...(settings.headers === undefined ? {} : { headers: settings.headers }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
  switch (settings.provider) {
    case "openai": {
      const { createOpenAI } = await import("@ai-sdk/openai");
      // Chat Completions rather than the Responses API: it is what OpenAI-shaped proxies and
      // gateways speak, and single-turn calls lose nothing by it.
      return createOpenAI({ ...common, apiKey }).chat(settings.model);
    }
    case "anthropic": {
      const { createAnthropic } = await import("@ai-sdk/anthropic");
      return createAnthropic({ ...common, apiKey })(settings.model);
    }
    case "google": {
      const { createGoogleGenerativeAI } = await import("@ai-sdk/google");
      return createGoogleGenerativeAI({ ...common, apiKey })(settings.model);
    }
    case "xai": {
      const { createXai } = await import("@ai-sdk/xai");
      return createXai({ ...common, apiKey })(settings.model);
    }
    case "openai-compatible": {
      const { createOpenAICompatible } = await import("@ai-sdk/openai-compatible");
      return createOpenAICompatible({
        ...common,
        baseURL: settings.baseURL,
        name: alias,
        includeUsage: true,
        ...(apiKey === undefined ? {} : { apiKey }),
      })(settings.model);
    }
  }
}

/**
 * Turns configured aliases into callable models, on first use. A missing API key is a
 * ModelError of kind `auth` raised when the model is first needed, so a chain can fall back
 * past it and `orkestra --help` never needs keys.
 */
export class ProviderRegistry {
  private readonly options: ProviderRegistryOptions;
  /** One promise per alias, so calls that start together share one provider import and model. */
  private readonly handles = new Map<string, Promise<ModelHandle>>();
  /**
   * Every value errors are scrubbed of: the extra secrets, each model's header values and API
   * key, kept out of the handles so they travel nowhere. One array, replaced (not grown) when a
   * key appears only at resolution, so scrubbers compiled for it can be cached.
   */
  private secrets: readonly string[];

  constructor(options: ProviderRegistryOptions) {
    this.options = options;
    this.secrets = [
      ...new Set([
        ...(options.secrets ?? []),
        ...modelSecrets(options.models, options.env ?? process.env),
      ]),
    ];
  }

  get aliases(): string[] {
    return Object.keys(this.options.models);
  }

  has(alias: string): boolean {
    return Object.hasOwn(this.options.models, alias);
  }

  settings(alias: string): ModelConfig | undefined {
    return this.options.models[alias];
  }

  /**
   * Values that must never leave the process, for errors of `alias`: not only its own key and
   * headers but every model's, and the configuration's other secrets, since a server (or a
   * proxy in front of several) may echo any of them. Error messages and causes are scrubbed of
   * them.
   */
  secretsFor(_alias: string): readonly string[] {
    return this.secrets;
  }

  /**
   * The handle for `alias`, its provider's package imported on first use; rejects with
   * ModelError(auth) when its key is missing (not cached: the key may be set later).
   */
  resolve(alias: string): Promise<ModelHandle> {
    const cached = this.handles.get(alias);
    if (cached) return cached;
    const settings = this.options.models[alias];
    if (!settings) {
      return Promise.reject(new Error(`unknown model alias "${alias}" reached the registry`));
    }
    let apiKey: string | undefined;
    try {
      apiKey = apiKeyFor(alias, settings, this.options.env ?? process.env);
    } catch (error) {
      return Promise.reject(error);
    }
    if (apiKey !== undefined && !this.secrets.includes(apiKey)) {
      this.secrets = [...this.secrets, apiKey];
    }
    const handle = createLanguageModel(alias, settings, apiKey, this.options).then(
      (model): ModelHandle => ({
        alias,
        provider: settings.provider,
        modelId: settings.model,
        settings,
        simulated: settings.provider === "simulated",
        model,
      }),
    );
    this.handles.set(alias, handle);
    // A failed import (a provider package missing from the install) is not kept either.
    handle.catch(() => this.handles.delete(alias));
    return handle;
  }
}
