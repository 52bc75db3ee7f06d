export {
  BUILTIN_HOSTED_MODELS,
  BUILTIN_SIMULATED_ALIAS,
  type BuiltinHostedModel,
} from "./builtin-models.js";
export { ConfigError, type ConfigErrorOptions } from "./config-error.js";
export type { ConfigIssue } from "./config-issue.js";
export { configJsonSchema } from "./config-json-schema.js";
export { oneOf } from "./describe-schema.js";
export { didYouMean } from "./did-you-mean.js";
export { formatConfigIssue, formatKeyPath } from "./format-config-issue.js";
export {
  composeIssueMessage,
  type IssueDraft,
  sortIssues,
  toConfigIssue,
} from "./issue-draft.js";
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
export { collectSyntaxIssues } from "./parse-config-text.js";
export { displayPath } from "./read-config-file.js";
export { describeFound, describeList, renderValue } from "./render-value.js";
export {
  type ConfigInput,
  configSchema,
  LOG_LEVELS,
  type LogLevel,
  type OrkestraConfig,
} from "./schema.js";
export { type ConfigValidation, validateConfigFile } from "./validate-config-file.js";
export { locateInDocument, type SourcePosition } from "./yaml-positions.js";
export { draftsFromZodIssues, type IssueContext } from "./zod-issue-drafts.js";
