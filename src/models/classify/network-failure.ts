import { isRecord } from "./error-facts.js";

export interface NetworkFailure {
  /** The errno or undici code (`ECONNRESET`, `UND_ERR_SOCKET`), when one was found. */
  code: string | undefined;
  /** The innermost message: `connect ECONNREFUSED 127.0.0.1:8080`, `other side closed`. */
  detail: string;
  /** Timeouts of the HTTP client itself (undici's headers and body timeouts). */
  isTimeout: boolean;
  /** False for failures another attempt will meet again (no such host). */
  retryable: boolean;
}

/**
 * Connection-level codes: Node errno values, undici's codes, and Bun's names (the AI SDK's
 * `handleFetchError` list plus the DNS and routing errors).
 */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ConnectionRefused",
  "ConnectionClosed",
  "FailedToOpenSocket",
]);

/** The server took the connection but did not answer in time: a timeout, not a network fault. */
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/**
 * getaddrinfo's definitive "no such host", almost always a mistyped `baseURL`; EAI_AGAIN is
 * the transient resolver failure and stays retryable.
 */
const PERMANENT_CODES = new Set(["ENOTFOUND"]);

/**
 * undici's messages: `TypeError: fetch failed` (connect failed; the reason is in `cause`),
 * `TypeError: terminated` (the body stream was cut), `SocketError: other side closed`.
 */
const NETWORK_MESSAGES =
  /^(?:fetch failed|failed to fetch|terminated|other side closed|socket hang up)$/i;

/** Walks the `cause` chain for a connection failure. */
export function findNetworkFailure(error: unknown): NetworkFailure | undefined {
  const visited = new Set<unknown>();
  let found = false;
  let code: string | undefined;
  let detail = "";
  for (let current = error; isRecord(current) && !visited.has(current); current = current.cause) {
    visited.add(current);
    const message = typeof current.message === "string" ? current.message : "";
    if (typeof current.code === "string" && NETWORK_CODES.has(current.code)) {
      found = true;
      code = current.code;
      detail = message || detail;
    } else if (NETWORK_MESSAGES.test(message)) {
      found = true;
      detail = message;
    }
  }
  if (!found) return undefined;
  return {
    code,
    detail: detail || "connection failed",
    isTimeout: code !== undefined && TIMEOUT_CODES.has(code),
    retryable: code === undefined || !PERMANENT_CODES.has(code),
  };
}
