export { type AskOptions, type AskOutcome, ask } from "./ask.js";
export { BudgetGuard, type BudgetHold } from "./budget-guard.js";
export {
  type BreakerDecision,
  type BreakerEvent,
  CircuitBreaker,
  CircuitBreakerRegistry,
  processCircuitBreakers,
} from "./circuit-breaker.js";
export { type ClassifyContext, classifyError } from "./classify-error.js";
export { costNanoUsd, maxCostNanoUsd, nanoUsdToUsd, usdToNanoUsd } from "./cost.js";
export {
  type DescribeModelsSources,
  describeModels,
  type ModelDescription,
  type ModelKeyStatus,
  modelKeyStatus,
} from "./describe-models.js";
export {
  createGateway,
  type FanOutOutcome,
  Gateway,
  type GatewayOptions,
  type ModelFailure,
} from "./gateway.js";
export {
  type ModelAttempt,
  ModelCallFailure,
  type ModelCallFailureReason,
} from "./model-call-failure.js";
export {
  MODEL_ERROR_KINDS,
  ModelError,
  type ModelErrorKind,
  RETRYABLE_BY_KIND,
} from "./model-error.js";
export { DEFAULT_API_KEY_ENV } from "./model-error-hint.js";
export { ModelLedger } from "./model-ledger.js";
export type { FallbackHop, ModelMessage, ModelRequest, ModelResult } from "./model-request.js";
export { IncompleteStreamError, type ModelStream, type ModelStreamEvent } from "./model-stream.js";
export { type ModelPrice, priceFor } from "./price-table.js";
export {
  DEFAULT_PROBE_MAX_TOKENS,
  DEFAULT_PROBE_TIMEOUT_MS,
  type ModelProbe,
  type ProbeOptions,
  probeModels,
  probeTargets,
} from "./probe-models.js";
export { processRateLimiters, RateLimiter, RateLimiterRegistry } from "./rate-limiter.js";
export { RECENT_LATENCY_SAMPLE, recentLatencyMs } from "./recent-latency.js";
export { decideRetry, type RetryDecision } from "./retry-policy.js";
export { SimulatedLanguageModel } from "./simulated/simulated-model.js";
export { normalizeUsage, type TokenUsage, ZERO_USAGE } from "./token-usage.js";
export { UnrecordedSpendError } from "./unrecorded-spend-error.js";
export {
  type UsageGrouping,
  type UsageLine,
  type UsageReport,
  usageReport,
} from "./usage-report.js";
