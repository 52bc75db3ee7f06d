import type { ErrorClassification } from "./error-classification.js";
import type { ProviderErrorFacts } from "./error-facts.js";
import { ERROR_TEXT } from "./error-text.js";

/**
 * The provider's message text, for failures whose code no table knows (OpenAI-compatible
 * servers, proxies, older API versions). Runs after the provider's own table and before the
 * bare status.
 */
export function messageErrorKind(facts: ProviderErrorFacts): ErrorClassification | undefined {
  const { message, status } = facts;
  if (ERROR_TEXT.quota.test(message)) return { kind: "quota_exhausted" };
  if (ERROR_TEXT.contextLength.test(message)) return { kind: "context_length" };
  if (ERROR_TEXT.auth.test(message)) return { kind: "auth" };
  if (ERROR_TEXT.modelNotFound.test(message) && (status === undefined || status < 500)) {
    return { kind: "not_found" };
  }
  if (ERROR_TEXT.contentFilter.test(message) && (status === undefined || status === 400)) {
    return { kind: "content_filter" };
  }
  if (ERROR_TEXT.overloaded.test(message) && (status === undefined || status >= 500)) {
    return { kind: "overloaded" };
  }
  return undefined;
}
