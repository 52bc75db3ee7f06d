import { isRecord } from "./error-facts.js";

export interface QuotaViolation {
  /** `GenerateRequestsPerDayPerProjectPerModel-FreeTier`, `...PerMinute...`. */
  quotaId: string;
  /** The limit that was hit, as a decimal string (`"10"`, `"0"`), when given. */
  quotaValue: string | undefined;
}

export interface GoogleDetails {
  /** ErrorInfo `reason`: `API_KEY_INVALID`, `SERVICE_DISABLED`, `RATE_LIMIT_EXCEEDED`. */
  reason: string | undefined;
  quotaViolations: readonly QuotaViolation[];
  /** RetryInfo `retryDelay`, a protobuf Duration in JSON form (`"13s"`, `"0.5s"`). */
  retryDelay: string | undefined;
}

const TYPE_PREFIX = "type.googleapis.com/google.rpc.";

/** Reads the google.rpc detail messages of a Google error (`error.details`). */
export function googleDetails(details: readonly unknown[]): GoogleDetails {
  const result: { reason?: string; quotaViolations: QuotaViolation[]; retryDelay?: string } = {
    quotaViolations: [],
  };
  for (const detail of details) {
    if (!isRecord(detail)) continue;
    const type = detail["@type"];
    if (type === `${TYPE_PREFIX}ErrorInfo` && typeof detail.reason === "string") {
      result.reason ??= detail.reason;
    } else if (type === `${TYPE_PREFIX}RetryInfo` && typeof detail.retryDelay === "string") {
      result.retryDelay ??= detail.retryDelay;
    } else if (type === `${TYPE_PREFIX}QuotaFailure` && Array.isArray(detail.violations)) {
      for (const violation of detail.violations) {
        if (!isRecord(violation) || typeof violation.quotaId !== "string") continue;
        const quotaValue = violation.quotaValue;
        result.quotaViolations.push({
          quotaId: violation.quotaId,
          quotaValue:
            typeof quotaValue === "string" || typeof quotaValue === "number"
              ? String(quotaValue)
              : undefined,
        });
      }
    }
  }
  return {
    reason: result.reason,
    quotaViolations: result.quotaViolations,
    retryDelay: result.retryDelay,
  };
}
