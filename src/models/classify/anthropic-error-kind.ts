import type { ErrorClassification } from "./error-classification.js";
import type { ProviderErrorFacts } from "./error-facts.js";
import { ERROR_TEXT } from "./error-text.js";

/**
 * Anthropic's `error.type` (https://docs.anthropic.com/en/api/errors). The same type arrives
 * with its HTTP status on a failed request, and with a status the SDK infers (200 on the wire)
 * when it comes as an `event: error` in the middle of a stream.
 */
export function anthropicErrorKind(facts: ProviderErrorFacts): ErrorClassification | undefined {
  const type = facts.type;
  if (type === undefined) return undefined;
  const kind = ((): ErrorClassification["kind"] | undefined => {
    switch (type) {
      case "overloaded_error":
        return "overloaded";
      case "rate_limit_error":
        return "rate_limit";
      case "authentication_error":
      case "permission_error":
        return "auth";
      case "not_found_error":
        return "not_found";
      // 413: the request is over the endpoint's byte limit (32 MB for Messages). Classified as
      // context_length, not invalid_request: like a too-long prompt, the input is too large for
      // this model, retrying cannot help, and the fix is the same (shrink it, or fall back).
      case "request_too_large":
        return "context_length";
      case "api_error":
        return "server";
      case "timeout_error":
        return "timeout";
      case "billing_error":
        return "quota_exhausted";
      // A low balance arrives as a 400 invalid_request_error: "Your credit balance is too low
      // to access the Anthropic API", and so does "prompt is too long: N tokens > M maximum".
      case "invalid_request_error":
        if (ERROR_TEXT.quota.test(facts.message)) return "quota_exhausted";
        if (ERROR_TEXT.contextLength.test(facts.message)) return "context_length";
        return "invalid_request";
      default:
        return undefined;
    }
  })();
  return kind === undefined ? undefined : { kind, providerCode: type };
}
