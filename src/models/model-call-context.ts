import type { LanguageModelV4CallOptions, LanguageModelV4Prompt } from "@ai-sdk/provider";
import type { Logger } from "../observability/index.js";
import type { BudgetGuard } from "./budget-guard.js";
import type { ModelAttempt } from "./model-call-failure.js";
import type { ModelLedger } from "./model-ledger.js";
import type { FallbackHop, ModelRequest } from "./model-request.js";
import type { ProviderRegistry } from "./provider-registry.js";

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
  /** Fires when the overall deadline passes. */
  deadlineSignal: AbortSignal;
  /** The caller's signal or the deadline, whichever fires first. */
  callSignal: AbortSignal;
  startedAt: number;
  deadlineAt: number;
  /** Every attempt on every model, in order. */
  attempts: ModelAttempt[];
  /** Models left behind, in order. */
  hops: FallbackHop[];
}

export function createCallContext(
  request: ModelRequest<unknown>,
  prompt: LanguageModelV4Prompt,
  inputBound: number,
  responseFormat: CallContext["responseFormat"],
  deadlineMs: number,
  now: number,
): CallContext {
  const deadlineSignal = AbortSignal.timeout(deadlineMs);
  const callerSignal = request.signal;
  return {
    request,
    prompt,
    inputBound,
    responseFormat,
    callerSignal,
    deadlineSignal,
    callSignal: callerSignal ? AbortSignal.any([callerSignal, deadlineSignal]) : deadlineSignal,
    startedAt: now,
    deadlineAt: now + deadlineMs,
    attempts: [],
    hops: [],
  };
}
