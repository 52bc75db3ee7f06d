export { type AskOptions, type AskOutcome, ask } from "./ask.js";
export { BudgetGuard, type BudgetHold } from "./budget/budget-guard.js";
export { UnrecordedSpendError } from "./budget/unrecorded-spend-error.js";
export type {
  FallbackHop,
  ModelMessage,
  ModelRequest,
  ModelResult,
  SpendLimit,
} from "./call/model-request.js";
export { type ClassifyContext, classifyError } from "./classify/classify-error.js";
export {
  type DescribeModelsSources,
  describeModels,
  type ModelDescription,
  type ModelKeyStatus,
  modelKeyStatus,
} from "./describe-models.js";
export {
  type ModelAttempt,
  ModelCallFailure,
  type ModelCallFailureReason,
} from "./errors/model-call-failure.js";
export {
  MODEL_ERROR_KINDS,
  ModelError,
  type ModelErrorKind,
  RETRYABLE_BY_KIND,
} from "./errors/model-error.js";
export { DEFAULT_API_KEY_ENV } from "./errors/model-error-hint.js";
export {
  createGateway,
  type FanOutOutcome,
  Gateway,
  type GatewayOptions,
  type ModelFailure,
} from "./gateway.js";
export {
  DEFAULT_PROBE_MAX_TOKENS,
  DEFAULT_PROBE_TIMEOUT_MS,
  type ModelProbe,
  type ProbeOptions,
  probeModels,
  probeTargets,
} from "./probe-models.js";
export { SimulatedLanguageModel } from "./providers/simulated/simulated-model.js";
export {
  type BreakerDecision,
  type BreakerEvent,
  CircuitBreaker,
  CircuitBreakerRegistry,
  processCircuitBreakers,
} from "./routing/circuit-breaker.js";
export { processRateLimiters, RateLimiter, RateLimiterRegistry } from "./routing/rate-limiter.js";
export { decideRetry, type RetryDecision } from "./routing/retry-policy.js";
export {
  IncompleteStreamError,
  type ModelStream,
  type ModelStreamEvent,
} from "./streaming/model-stream.js";
export { MODEL_MIGRATIONS } from "./tables/model-migrations.js";
export {
  type BudgetCounterTable,
  type BudgetReservationTable,
  inModelTransaction,
  type ModelCallTable,
  type ModelDatabase,
  type ModelTables,
  modelDb,
} from "./tables/model-tables.js";
export {
  costNanoUsd,
  formatUsd,
  maxCostNanoUsd,
  nanoUsdToUsd,
  usdToNanoUsd,
} from "./usage/cost.js";
export { ModelLedger } from "./usage/model-ledger.js";
export { type ModelPrice, priceFor } from "./usage/price-table.js";
export { RECENT_LATENCY_SAMPLE, recentLatencyMs } from "./usage/recent-latency.js";
export { normalizeUsage, type TokenUsage, ZERO_USAGE } from "./usage/token-usage.js";
export {
  type UsageGrouping,
  type UsageLine,
  type UsageReport,
  usageReport,
} from "./usage/usage-report.js";
