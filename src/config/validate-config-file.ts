import { ConfigError } from "./config-error.js";
import type { ConfigIssue } from "./config-issue.js";
import { type LoadConfigOptions, type LoadedConfig, loadConfig } from "./load-config.js";

export type ConfigValidation =
  | { valid: true; loaded: LoadedConfig; issues: readonly [] }
  | { valid: false; error: ConfigError; issues: readonly ConfigIssue[] };

/**
 * Loads the file at `path` exactly as the other commands would (interpolation and environment
 * overrides included) and reports the outcome instead of throwing a ConfigError. Other errors
 * are bugs and still throw.
 */
export async function validateConfigFile(
  path: string,
  options: Omit<LoadConfigOptions, "configPath"> = {},
): Promise<ConfigValidation> {
  try {
    const loaded = await loadConfig({ ...options, configPath: path });
    return { valid: true, loaded, issues: [] };
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    return { valid: false, error, issues: error.issues };
  }
}
