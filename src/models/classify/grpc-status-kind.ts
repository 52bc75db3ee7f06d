import type { ErrorClassification } from "./error-classification.js";
import type { ProviderErrorFacts } from "./error-facts.js";
import { ERROR_TEXT } from "./error-text.js";
import { resourceExhaustedKind } from "./resource-exhausted-kind.js";

/**
 * A gRPC status name (https://grpc.github.io/grpc/core/md_doc_statuscodes.html), as Google
 * sends in `error.status` and xAI describes in `code`, to a kind.
 */
export function grpcStatusKind(
  grpcStatus: string,
  facts: ProviderErrorFacts,
): ErrorClassification | undefined {
  const kind = ((): ErrorClassification["kind"] | undefined => {
    switch (grpcStatus) {
      case "RESOURCE_EXHAUSTED":
        return resourceExhaustedKind(facts);
      // Gemini sends a bad key as 400 INVALID_ARGUMENT "API key not valid" (reason
      // API_KEY_INVALID), xAI as 400 "Incorrect API key provided", Gemini a too-long input as
      // 400 "The input token count (N) exceeds the maximum number of tokens allowed (M)".
      case "INVALID_ARGUMENT":
        if (ERROR_TEXT.auth.test(facts.message)) return "auth";
        if (ERROR_TEXT.contextLength.test(facts.message)) return "context_length";
        return "invalid_request";
      case "OUT_OF_RANGE":
      // 501: the model does not support this operation; no retry or wait changes that.
      case "UNIMPLEMENTED":
        return "invalid_request";
      case "PERMISSION_DENIED":
      case "UNAUTHENTICATED":
        return "auth";
      // Gemini: "User location is not supported for the API use", "Gemini API free tier is not
      // available in your country. Please enable billing". A property of the account and
      // project, not of the request: like a bad key, it is fixed in the provider's console,
      // is never retried, and another provider may well serve the call.
      case "FAILED_PRECONDITION":
        return ERROR_TEXT.quota.test(facts.message) ? "quota_exhausted" : "auth";
      case "NOT_FOUND":
        return "not_found";
      // Gemini "The model is overloaded. Please try again later."
      case "UNAVAILABLE":
        return "overloaded";
      case "DEADLINE_EXCEEDED":
        return "timeout";
      case "INTERNAL":
      case "UNKNOWN":
      case "DATA_LOSS":
      // The server gave up on the request (499); we did not cancel it, so try again.
      case "CANCELLED":
      case "ABORTED":
      case "ALREADY_EXISTS":
        return "server";
      default:
        return undefined;
    }
  })();
  return kind === undefined ? undefined : { kind, providerCode: grpcStatus };
}
