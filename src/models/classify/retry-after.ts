import type { ProviderErrorFacts } from "./error-facts.js";
import { googleDetails } from "./google-details.js";

/**
 * How long the provider asked us to wait, in whole milliseconds (rounded up, so we never come
 * back early), or undefined when it did not say. Sources, most precise first:
 * `retry-after-ms` (OpenAI, Azure), `retry-after` as seconds or an HTTP-date (RFC 9110
 * §10.2.3), Google's RetryInfo `retryDelay`, and the message's own "Please try again in 6ms"
 * (OpenAI) or "Please retry in 13.4s" (Gemini). A date in the past means "now": 0.
 */
export function retryAfterMs(facts: ProviderErrorFacts, now: number): number | undefined {
  const milliseconds =
    retryAfterMsHeader(facts.headers["retry-after-ms"]) ??
    retryAfterHeader(facts.headers["retry-after"], now) ??
    protobufDurationMs(googleDetails(facts.details).retryDelay) ??
    messageDelayMs(facts.message);
  return milliseconds === undefined ? undefined : Math.ceil(Math.max(0, milliseconds));
}

function retryAfterMsHeader(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const milliseconds = Number(value.trim());
  return value.trim() !== "" && Number.isFinite(milliseconds) ? milliseconds : undefined;
}

/** `Retry-After: 120` (delay-seconds) or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`. */
export function retryAfterHeader(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^-?\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : date - now;
}

/** A protobuf Duration in JSON form: `"13s"`, `"0.250s"`, `"13.470339s"`. */
export function protobufDurationMs(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /^\s*(-?\d+(?:\.\d+)?)s\s*$/.exec(value);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1000;
}

function messageDelayMs(message: string): number | undefined {
  const match = /(?:try again|retry) in (\d+(?:\.\d+)?)\s*(ms|s|sec|seconds?)\b/i.exec(message);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const amount = Number(match[1]);
  return match[2].toLowerCase() === "ms" ? amount : amount * 1000;
}
