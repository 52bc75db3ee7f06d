import type { LanguageModelV4CallOptions, LanguageModelV4Prompt } from "@ai-sdk/provider";
import type { Logger } from "../../observability/index.js";
import type { BudgetGuard } from "../budget/budget-guard.js";
import type { ModelAttempt } from "../errors/model-call-failure.js";
import type { ProviderRegistry } from "../providers/provider-registry.js";
import { TimedSignal } from "../routing/attempt-signal.js";
import type { ModelLedger } from "../usage/model-ledger.js";
import type { FallbackHop, ModelRequest } from "./model-request.js";

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

export function createCallContext(
  request: ModelRequest<unknown>,
  prompt: LanguageModelV4Prompt,
  inputBound: number,
  responseFormat: CallContext["responseFormat"],
  deadlineMs: number,
  now: number,
): CallContext {
  const callerSignal = request.signal;
  const call = new TimedSignal(callerSignal);
  call.arm(deadlineMs, undefined, `overall deadline passed: no answer within ${deadlineMs} ms`);
  return {
    request,
    prompt,
    inputBound,
    responseFormat,
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
