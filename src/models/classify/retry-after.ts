import type { ProviderErrorFacts } from "./error-facts.js";
import { googleDetails } from "./google-details.js";
import { parseHttpDate } from "./http-date.js";

/** A non-negative decimal number: no sign, exponent, hex, comma or unit. */
const DECIMAL = /^\d+(?:\.\d+)?$/;

/**
 * How long the provider asked us to wait, in whole milliseconds (rounded up, so we never come
 * back early), or undefined when it did not say in a form we can trust, so the normal backoff
 * applies. Sources, most precise first: `retry-after-ms` (OpenAI, Azure), `retry-after` as
 * delay-seconds or an HTTP-date (RFC 9110 §10.2.3), Google's RetryInfo `retryDelay`, and the
 * message's own "Please try again in 6ms" (OpenAI) or "Please retry in 13.4s" (Gemini). A date
 * in the past means "now": 0 (the retry policy still waits its small floor).
 */
export function retryAfterMs(facts: ProviderErrorFacts, now: number): number | undefined {
  const milliseconds =
    retryAfterMsHeader(facts.headers["retry-after-ms"]) ??
    retryAfterHeader(facts.headers["retry-after"], now) ??
    protobufDurationMs(googleDetails(facts.details).retryDelay) ??
    messageDelayMs(facts.message);
  return milliseconds === undefined ? undefined : Math.ceil(Math.max(0, milliseconds));
}

/** `retry-after-ms: 1250.5`: a non-negative number of milliseconds. */
function retryAfterMsHeader(value: string | undefined): number | undefined {
  const trimmed = value?.trim() ?? "";
  return DECIMAL.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * `Retry-After: 120` (delay-seconds) or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`; anything
 * else is undefined. RFC 9110 makes delay-seconds an integer; a decimal (`1.5`) is read as
 * well, since it can only mean one thing, and dropping it would wait a backoff the server did
 * not ask for. A sign, a comma or trailing text is not read: `-1`, `1,5` and `abc 2` are garbage.
 */
export function retryAfterHeader(value: string | undefined, now: number): number | undefined {
  const trimmed = value?.trim() ?? "";
  if (DECIMAL.test(trimmed)) return Number(trimmed) * 1000;
  const date = parseHttpDate(trimmed, now);
  return date === undefined ? undefined : date - now;
}

/** A protobuf Duration in JSON form: `"13s"`, `"0.250s"`, `"13.470339s"`. */
export function protobufDurationMs(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /^\s*(\d+(?:\.\d+)?)s\s*$/.exec(value);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1000;
}

function messageDelayMs(message: string): number | undefined {
  const match = /(?:try again|retry) in (\d+(?:\.\d+)?)\s*(ms|s|sec|seconds?)\b/i.exec(message);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const amount = Number(match[1]);
  return match[2].toLowerCase() === "ms" ? amount : amount * 1000;
}
