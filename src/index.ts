/**
 * Orkestra: one reliable, accounted call path to every model, and what is built on it.
 * Everything the `orkestra` command does is available here.
 */
export {
  BUILTIN_HOSTED_MODELS,
  BUILTIN_SIMULATED_ALIAS,
  type BudgetConfig,
  ConfigError,
  type ConfigInput,
  type ConfigIssue,
  configJsonSchema,
  configSchema,
  type GatewayConfig,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  type ModelConfig,
  type OrkestraConfig,
  PROVIDERS,
  type ProviderName,
  validateConfigFile,
} from "./config/index.js";
export { coerceError, OrkestraError, UsageError } from "./errors/index.js";
export {
  type AskOptions,
  type AskOutcome,
  ask,
  BudgetGuard,
  CircuitBreaker,
  CircuitBreakerRegistry,
  classifyError,
  createGateway,
  type FallbackHop,
  type FanOutOutcome,
  Gateway,
  type GatewayOptions,
  IncompleteStreamError,
  MODEL_ERROR_KINDS,
  type ModelAttempt,
  ModelCallFailure,
  type ModelCallFailureReason,
  ModelError,
  type ModelErrorKind,
  type ModelFailure,
  type ModelMessage,
  type ModelRequest,
  type ModelResult,
  type ModelStream,
  type ModelStreamEvent,
  priceFor,
  RateLimiterRegistry,
  SimulatedLanguageModel,
  type TokenUsage,
  UnrecordedSpendError,
  type UsageReport,
  usageReport,
} from "./models/index.js";
export { createLogger, type Logger, redactSecrets, redactValue } from "./observability/index.js";
export { type CreateOrkestraOptions, createOrkestra, type Orkestra } from "./orkestra.js";
export {
  type AuditEvent,
  type AuditEventInput,
  type AuditLog,
  type AuditQuery,
  openStore,
  type Store,
  StoreError,
} from "./store/index.js";
