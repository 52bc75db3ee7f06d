import { formatKeyPath } from "./format-config-issue.js";
import { DEFAULT_API_KEY_ENV, type ModelConfig } from "./model-settings-schema.js";

/**
 * The values of configured models that must never leave the process: every header value
 * (proxies and gateways take credentials in headers of any name) and each model's API key as
 * `env` holds it, read by the same rule as the provider registry (`apiKeyEnv`, else the
 * provider's standard variable). Empty values are left out.
 */
export function modelSecrets(
  models: Readonly<Record<string, ModelConfig>>,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const secrets = new Set<string>();
  for (const settings of Object.values(models)) {
    if (settings.provider === "simulated") continue;
    for (const value of Object.values(settings.headers ?? {})) {
      if (value !== "") secrets.add(value);
    }
    const variable = settings.apiKeyEnv ?? DEFAULT_API_KEY_ENV[settings.provider];
    const key = variable === undefined ? undefined : env[variable];
    if (key) secrets.add(key);
  }
  return [...secrets];
}

/** Formatted key paths of the header values of `models`: `models.proxy.headers.X-Proxy-Auth`. */
export function headerPaths(models: Readonly<Record<string, ModelConfig>>): string[] {
  return Object.entries(models).flatMap(([alias, settings]) =>
    settings.provider === "simulated"
      ? []
      : Object.keys(settings.headers ?? {}).map((name) =>
          formatKeyPath(["models", alias, "headers", name]),
        ),
  );
}
