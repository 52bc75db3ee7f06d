import { STATUS_CODES } from "node:http";
import { LoadAPIKeyError } from "@ai-sdk/provider";
import type { ProviderName } from "../../config/model-settings-schema.js";
import { coerceError } from "../../errors/index.js";
import { ModelError } from "../errors/model-error.js";
import { DEFAULT_API_KEY_ENV, modelErrorHint } from "../errors/model-error-hint.js";
import {
  type ModelErrorDescription,
  modelErrorDetail,
  modelErrorMessage,
} from "../errors/model-error-message.js";
import { redactorFor, scrubCause } from "../errors/scrub-cause.js";
import { abortKind } from "./abort-kind.js";
import type { ErrorClassification } from "./error-classification.js";
import { readErrorFacts } from "./error-facts.js";
import { findNetworkFailure } from "./network-failure.js";
import { providerResponseKind } from "./provider-response-kind.js";
import { retryAfterMs } from "./retry-after.js";
import { sdkErrorKind } from "./sdk-error-kind.js";

export interface ClassifyContext {
  /** Model alias from the configuration (`claude`), or the model id when there is none. */
  alias: string;
  provider: ProviderName;
  /** The provider's model id (`claude-sonnet-4-5`). */
  model: string;
  /**
   * The caller's own signal, not the per-attempt timeout's. Once it has fired, whatever the
   * attempt threw is a cancellation.
   */
  cancelSignal?: AbortSignal;
  /** Our per-attempt timeout fired: whatever the attempt threw is a timeout. */
  timedOut?: boolean;
  /** The per-attempt timeout, for the message. */
  timeoutMs?: number;
  /**
   * What the timer that fired said (`no data for 1500 ms (gateway.streamIdleTimeoutMs)`), for
   * the message when more than one timer could have fired. Wins over `timeoutMs`.
   */
  timeoutDetail?: string;
  /** The variable the API key is read from, for the message. @defaultValue the provider's */
  apiKeyEnv?: string;
  /**
   * Exact values that must not appear in the message or the kept cause: API keys, header
   * values, values of `${VAR}`, which a server may echo in an error in a shape no redaction
   * pattern knows.
   */
  secrets?: readonly string[];
  /** Clock for `Retry-After` dates. @defaultValue Date.now */
  now?: () => number;
}

const NO_SECRETS: readonly string[] = [];

interface Verdict extends ErrorClassification {
  status?: number;
  retryAfterMs?: number;
  detail: string;
}

/**
 * Turns anything a provider call threw, or a streamed error part, into the one `ModelError`
 * the gateway deals in. Never throws. A `ModelError` passes through unchanged.
 *
 * Order: who stopped the attempt (the caller, our timeout) → a missing key → the provider's
 * answer (its code, then its message, then the HTTP status) → the connection → the SDK's
 * reading of the response → anything else, which is a retryable `server` error with the
 * original kept as `cause`. The cause is scrubbed of the known secrets and secret-looking
 * strings once it has been read (see `scrubCause`).
 */
export function classifyError(error: unknown, context: ClassifyContext): ModelError {
  if (ModelError.isInstance(error)) return error;
  const verdict = decide(error, context);
  const description: ModelErrorDescription = {
    alias: context.alias,
    provider: context.provider,
    model: context.model,
    kind: verdict.kind,
    status: verdict.status,
    providerCode: verdict.providerCode,
    detail: verdict.detail,
    ...(context.secrets === undefined ? {} : { secrets: context.secrets }),
  };
  return new ModelError(modelErrorMessage(description), {
    detail: modelErrorDetail(description),
    kind: verdict.kind,
    model: context.alias,
    provider: context.provider,
    retryable: verdict.retryable,
    status: verdict.status,
    retryAfterMs: verdict.retryAfterMs,
    providerCode: verdict.providerCode,
    hint: modelErrorHint(verdict.kind, context),
    cause: scrubCause(error, redactorFor(context.secrets ?? NO_SECRETS).text),
  });
}

function decide(error: unknown, context: ClassifyContext): Verdict {
  if (context.cancelSignal?.aborted === true) {
    return {
      kind: "cancelled",
      detail: `the caller cancelled the call${reasonText(context.cancelSignal.reason)}`,
    };
  }
  if (context.timedOut === true) {
    return {
      kind: "timeout",
      detail:
        context.timeoutDetail ??
        (context.timeoutMs === undefined
          ? "the attempt timed out"
          : `no answer within ${context.timeoutMs} ms`),
    };
  }
  const abort = abortKind(error);
  if (abort !== undefined) return { kind: abort, detail: coerceError(error).message };
  if (LoadAPIKeyError.isInstance(error))
    return { kind: "auth", detail: missingKeyDetail(error, context) };

  const facts = readErrorFacts(error);
  if (facts !== undefined) {
    return {
      ...providerResponseKind(facts, context.provider),
      status: facts.status,
      retryAfterMs: retryAfterMs(facts, (context.now ?? Date.now)()),
      detail:
        facts.message || (facts.status === undefined ? "" : (STATUS_CODES[facts.status] ?? "")),
    };
  }
  const network = findNetworkFailure(error);
  if (network !== undefined) {
    return {
      kind: network.isTimeout ? "timeout" : "network",
      ...(network.retryable ? {} : { retryable: false }),
      ...(network.code === undefined ? {} : { providerCode: network.code }),
      detail: network.detail,
    };
  }
  const sdk = sdkErrorKind(error);
  if (sdk !== undefined) {
    const { decidedBy, ...classification } = sdk;
    return { ...classification, detail: decidedBy.message };
  }
  // Unknown: most likely a fault between us and the provider that no rule names yet. Retrying
  // costs at most `retries` attempts; refusing to would turn every new failure mode into an
  // outage. The original is kept as `cause` for whoever adds the rule.
  return { kind: "server", detail: coerceError(error).message };
}

/** The SDK's message talks about its `apiKey` parameter; ours names the variable to set. */
function missingKeyDetail(error: LoadAPIKeyError, context: ClassifyContext): string {
  if (context.apiKeyEnv !== undefined) {
    return `the API key is missing: set the ${context.apiKeyEnv} environment variable`;
  }
  const variable = DEFAULT_API_KEY_ENV[context.provider];
  return variable === undefined
    ? error.message
    : `the API key is missing: set ${variable}, or name another variable in models.${context.alias}.apiKeyEnv`;
}

function reasonText(reason: unknown): string {
  if (reason === undefined) return "";
  const message = coerceError(reason).message;
  return message === "" || message === "This operation was aborted" ? "" : ` (${message})`;
}
