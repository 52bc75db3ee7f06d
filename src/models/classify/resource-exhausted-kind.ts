import type { ProviderErrorFacts } from "./error-facts.js";
import { ERROR_TEXT } from "./error-text.js";
import { googleDetails } from "./google-details.js";

/**
 * RESOURCE_EXHAUSTED is a rate limit (wait seconds) or a spent quota (wait until tomorrow, or
 * pay). Gemini's message does not tell them apart: "You exceeded your current quota, please
 * check your plan and billing details" comes with per-minute limits too. The QuotaFailure
 * detail does: a `...PerDay...` quota id, or a quota of 0 (a model the free tier does not
 * include), is spent for the day; a `...PerMinute...` one is a rate limit.
 */
export function resourceExhaustedKind(facts: ProviderErrorFacts): "rate_limit" | "quota_exhausted" {
  const { quotaViolations, retryDelay } = googleDetails(facts.details);
  if (quotaViolations.length > 0) {
    const spent = quotaViolations.some(
      (violation) => /per ?day/i.test(violation.quotaId) || violation.quotaValue === "0",
    );
    return spent ? "quota_exhausted" : "rate_limit";
  }
  if (/\blimit: 0\b/.test(facts.message)) return "quota_exhausted";
  // Without details, the quota-and-billing wording with no RetryInfo is the spent quota
  // ("resets at midnight"); a RetryInfo means Google expects the call to succeed soon.
  if (ERROR_TEXT.quota.test(facts.message) && /billing/i.test(facts.message)) {
    return retryDelay === undefined ? "quota_exhausted" : "rate_limit";
  }
  // xAI: "Your team has either used all available credits or reached its monthly spending
  // limit".
  if (ERROR_TEXT.quota.test(facts.message) && !/current quota/i.test(facts.message)) {
    return "quota_exhausted";
  }
  return "rate_limit";
}
