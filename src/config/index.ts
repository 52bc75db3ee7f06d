export {
  BUILTIN_HOSTED_MODELS,
  BUILTIN_SIMULATED_ALIAS,
  type BuiltinHostedModel,
} from "./builtin-models.js";
export { ConfigError, type ConfigErrorOptions } from "./config-error.js";
export type { ConfigIssue } from "./config-issue.js";
export { configJsonSchema } from "./config-json-schema.js";
export { didYouMean } from "./did-you-mean.js";
export { formatConfigIssue, formatKeyPath } from "./format-config-issue.js";
export {
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
} from "./load-config.js";
export { headerPaths, modelSecrets } from "./model-secrets.js";
export {
  type BudgetConfig,
  type GatewayConfig,
  type HostedModelConfig,
  MODEL_ERROR_KINDS,
  type ModelConfig,
  type ModelErrorKind,
  modelConfigSchema,
  PROVIDERS,
  type ProviderName,
  type SimulatedModelConfig,
} from "./model-settings-schema.js";
export {
  type ConfigInput,
  configSchema,
  LOG_LEVELS,
  type LogLevel,
  type OrkestraConfig,
} from "./schema.js";
export { type ConfigValidation, validateConfigFile } from "./validate-config-file.js";
