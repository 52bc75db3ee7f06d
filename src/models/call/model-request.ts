import type { ZodType } from "zod";
import type { ModelErrorKind } from "../../config/model-settings-schema.js";
import type { TokenUsage } from "../usage/token-usage.js";

/** One turn of a conversation. */
export interface ModelMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** What a caller asks of the gateway. Give `prompt`, `messages`, or both (prompt goes last). */
export interface ModelRequest<Output = unknown> {
  /** A model alias or a fallback-chain name from the configuration. */
  model: string;
  /** Models to try, in order, after `model` (and its chain) fail. */
  fallback?: readonly string[];
  prompt?: string;
  messages?: readonly ModelMessage[];
  system?: string;
  /** Output token cap. @defaultValue the model's `maxTokens`, else gateway.defaultMaxTokens */
  maxTokens?: number;
  temperature?: number;
  /**
   * Structured output: the answer must be JSON that this schema accepts. A parse or validation
   * failure is retried once on the same model with the validation message.
   */
  schema?: ZodType<Output>;
  /** Cancels the call (Ctrl-C): in-flight HTTP requests are aborted. */
  signal?: AbortSignal;
  /** Per-attempt timeout, ms. @defaultValue the model's timeoutMs, else gateway.attemptTimeoutMs */
  timeoutMs?: number;
  /** Overall deadline across retries and fallbacks, ms from now. @defaultValue gateway.deadlineMs */
  deadlineMs?: number;
  /**
   * Retries on each model after its first attempt, for this call only (0: one attempt per
   * model, as `orkestra models test` wants). @defaultValue the model's retries, else gateway.retries
   */
  retries?: number;
  /** Recorded on the ledger row, to tie spend to a workflow. */
  runId?: string;
  taskId?: string;
  stepId?: string;
  /**
   * Hard limits of the caller's own besides the configured `budget:` ones (a workflow run's
   * `budgetUsd`): the call's worst case is held on each, atomically with the configured
   * lines, across processes. Needs a store, like every budget.
   */
  spendLimits?: readonly SpendLimit[];
}

/** A caller's own hard spending limit: every call naming the same scope shares one counter. */
export interface SpendLimit {
  /** What the limit counts, e.g. `run:<id>`; calls with the same scope add up. */
  scope: string;
  limitUsd: number;
  /** For the refusal's message: `budgetUsd of run 0191…`. */
  label: string;
}

/** A model of the chain that was left behind, and why. */
export interface FallbackHop {
  model: string;
  kind: ModelErrorKind;
  message: string;
  attempts: number;
}

/** A successful answer. */
export interface ModelResult<Output = unknown> {
  /** The alias that answered. */
  model: string;
  provider: string;
  /** The provider's model id. */
  modelId: string;
  /** True when the answer came from the simulated provider. */
  simulated: boolean;
  text: string;
  /** The validated value, when the request had a schema. */
  object: Output | undefined;
  /** `stop`, `length`, `content-filter`, `tool-calls`, `other`. */
  finishReason: string;
  usage: TokenUsage;
  costUsd: number;
  /** Wall time of the whole call, fallbacks included. */
  durationMs: number;
  /** Attempts on the model that answered. */
  attempts: number;
  /** Models tried before this one. */
  fallbacks: FallbackHop[];
}
