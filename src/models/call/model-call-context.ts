import type { LanguageModelV4CallOptions, LanguageModelV4Prompt } from "@ai-sdk/provider";
import type { Logger } from "../../observability/index.js";
import type { BudgetGuard } from "../budget/budget-guard.js";
import type { ModelAttempt } from "../errors/model-call-failure.js";
import type { ProviderRegistry } from "../providers/provider-registry.js";
import { TimedSignal } from "../routing/attempt-signal.js";
import { inputTokensBound } from "../usage/cost.js";
import type { ModelLedger } from "../usage/model-ledger.js";
import type { FallbackHop, ModelRequest } from "./model-request.js";
import { buildPrompt } from "./prompt-builder.js";
import { responseJsonSchema } from "./structured-output.js";

/** What the gateway lends the per-model loops. */
export interface GatewayServices {
  registry: ProviderRegistry;
  budget: BudgetGuard | undefined;
  ledger: ModelLedger | undefined;
  /** Records decisions (budget refusals) in the audit trail; never throws. */
  audit: (action: string, resource: string, outcome: string, data: Record<string, unknown>) => void;
  logger: Logger;
  now: () => number;
  random: () => number;
}

/** One call through the gateway, shared by every model of its chain. */
export interface CallContext {
  request: ModelRequest<unknown>;
  prompt: LanguageModelV4Prompt;
  /** Upper bound of the prompt's input tokens (schema included). */
  inputBound: number;
  responseFormat: LanguageModelV4CallOptions["responseFormat"];
  /** The caller's own signal: when it fires, the call is cancelled. */
  callerSignal: AbortSignal | undefined;
  /** The caller's signal or the overall deadline, whichever fires first. */
  callSignal: AbortSignal;
  /** True once the overall deadline has passed. */
  readonly deadlinePassed: boolean;
  /** Clears the deadline timer and the listener on the caller's signal; call when the call ends. */
  dispose(): void;
  startedAt: number;
  deadlineAt: number;
  /** Every attempt on every model, in order. */
  attempts: ModelAttempt[];
  /** Models left behind, in order. */
  hops: FallbackHop[];
}

/**
 * Starts one call: its prompt, the bound of its input tokens (schema included), its response
 * format and its overall deadline, on a timer from now. `dispose()` the context when it ends.
 */
export function startCall(
  request: ModelRequest<unknown>,
  defaultDeadlineMs: number,
  now: number,
): CallContext {
  const { prompt, texts } = buildPrompt(request);
  const schema = request.schema ? responseJsonSchema(request.schema) : undefined;
  if (schema) texts.push(JSON.stringify(schema));
  const deadlineMs = request.deadlineMs ?? defaultDeadlineMs;
  const callerSignal = request.signal;
  const call = new TimedSignal(callerSignal, {
    ms: deadlineMs,
    message: `overall deadline passed: no answer within ${deadlineMs} ms`,
  });
  return {
    request,
    prompt,
    inputBound: inputTokensBound(texts),
    responseFormat: schema ? { type: "json", schema } : undefined,
    callerSignal,
    callSignal: call.signal,
    get deadlinePassed() {
      return call.timedOut;
    },
    dispose: () => call.dispose(),
    startedAt: now,
    deadlineAt: now + deadlineMs,
    attempts: [],
    hops: [],
  };
}
