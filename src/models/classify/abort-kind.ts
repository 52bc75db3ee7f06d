import { isRecord } from "./error-facts.js";

/**
 * What an abort means, from the thrown value alone: `TimeoutError` (the reason
 * `AbortSignal.timeout()` uses) is a timeout; `AbortError` and `ResponseAborted` (Next.js)
 * are cancellations. Fetch rejects with the signal's `reason` itself, so a timeout reason
 * arrives as a `TimeoutError`, and an `AbortError` may carry the reason as its `cause`.
 */
export function abortKind(error: unknown): "timeout" | "cancelled" | undefined {
  const name = errorName(error);
  if (name === "TimeoutError") return "timeout";
  if (name === "AbortError" || name === "ResponseAborted") {
    return isRecord(error) && errorName(error.cause) === "TimeoutError" ? "timeout" : "cancelled";
  }
  return undefined;
}

function errorName(value: unknown): string | undefined {
  return isRecord(value) && typeof value.name === "string" ? value.name : undefined;
}
