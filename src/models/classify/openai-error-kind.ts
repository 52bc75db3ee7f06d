import type { ErrorClassification } from "./error-classification.js";
import type { ProviderErrorFacts } from "./error-facts.js";
import { ERROR_TEXT } from "./error-text.js";

/** Codes that decide the kind on their own, whatever the status. */
const KIND_BY_CODE: Readonly<Record<string, ErrorClassification["kind"]>> = {
  insufficient_quota: "quota_exhausted",
  billing_hard_limit_reached: "quota_exhausted",
  billing_not_active: "quota_exhausted",
  context_length_exceeded: "context_length",
  content_filter: "content_filter",
  content_policy_violation: "content_filter",
  invalid_api_key: "auth",
  invalid_organization: "auth",
  unsupported_country_region_territory: "auth",
  model_not_found: "not_found",
  // Anthropic-style types that xAI and OpenAI-compatible proxies (LiteLLM) also send. Not
  // `api_error`: Ollama uses it for a missing model (404), Anthropic for a 500.
  overloaded_error: "overloaded",
  rate_limit_error: "rate_limit",
  authentication_error: "auth",
  permission_error: "auth",
  not_found_error: "not_found",
  request_too_large: "context_length",
};

/**
 * OpenAI's `{ error: { message, type, param, code } }`, also spoken by xAI and most
 * OpenAI-compatible servers. `code` is the specific fact, `type` the family; the generic
 * `invalid_request_error` type decides nothing (OpenAI uses it for 400, 401 and 404 alike), so
 * those fall through to the message and the status.
 */
export function openaiErrorKind(facts: ProviderErrorFacts): ErrorClassification | undefined {
  const { code, type, message } = facts;
  for (const candidate of [code, type]) {
    if (candidate === undefined) continue;
    const kind = KIND_BY_CODE[candidate];
    if (kind !== undefined) return { kind, providerCode: candidate };
  }
  // A 429 `rate_limit_exceeded` of type `tokens` or `requests`. "Request too large for gpt-4o
  // ... on tokens per min (TPM): Limit 30000, Requested 45000" is one too, but this request
  // alone is over the per-minute limit: waiting never helps, a bigger model might.
  if (code === "rate_limit_exceeded" || type === "tokens" || type === "requests") {
    const providerCode = code ?? type;
    return /^request too large/i.test(message)
      ? { kind: "context_length", providerCode }
      : { kind: "rate_limit", providerCode };
  }
  // A 503 of type server_error is either "The engine is currently overloaded, please try
  // again later" (overloaded) or "The server had an error processing your request" (server).
  if (type === "server_error" || code === "server_error") {
    return ERROR_TEXT.overloaded.test(message)
      ? { kind: "overloaded", providerCode: "server_error" }
      : { kind: "server", providerCode: "server_error" };
  }
  // Reasoning models refuse flagged prompts with a 400 `invalid_prompt`.
  if (code === "invalid_prompt" && ERROR_TEXT.contentFilter.test(message)) {
    return { kind: "content_filter", providerCode: code };
  }
  return undefined;
}
