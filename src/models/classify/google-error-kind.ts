import type { ErrorClassification } from "./error-classification.js";
import type { ProviderErrorFacts } from "./error-facts.js";
import { googleDetails } from "./google-details.js";
import { grpcStatusKind } from "./grpc-status-kind.js";

/** ErrorInfo reasons that are more specific than the status they come with. */
const KIND_BY_REASON: Readonly<Record<string, ErrorClassification["kind"]>> = {
  API_KEY_INVALID: "auth",
  API_KEY_EXPIRED: "auth",
  API_KEY_SERVICE_BLOCKED: "auth",
  API_KEY_HTTP_REFERRER_BLOCKED: "auth",
  API_KEY_IP_ADDRESS_BLOCKED: "auth",
  ACCESS_TOKEN_EXPIRED: "auth",
  ACCESS_TOKEN_TYPE_UNSUPPORTED: "auth",
  SERVICE_DISABLED: "auth",
  CONSUMER_SUSPENDED: "auth",
  BILLING_DISABLED: "quota_exhausted",
  RATE_LIMIT_EXCEEDED: "rate_limit",
};

/**
 * Gemini's `{ error: { code, message, status, details } }`: the ErrorInfo reason first (a bad
 * key is `400 INVALID_ARGUMENT` with reason `API_KEY_INVALID`), then the gRPC status name.
 */
export function googleErrorKind(facts: ProviderErrorFacts): ErrorClassification | undefined {
  const { reason } = googleDetails(facts.details);
  if (reason !== undefined) {
    const kind = KIND_BY_REASON[reason];
    // A per-day quota can come with reason RATE_LIMIT_EXCEEDED: let the quota rule decide.
    if (
      kind !== undefined &&
      !(kind === "rate_limit" && facts.grpcStatus === "RESOURCE_EXHAUSTED")
    ) {
      return { kind, providerCode: reason };
    }
  }
  return facts.grpcStatus === undefined ? undefined : grpcStatusKind(facts.grpcStatus, facts);
}
