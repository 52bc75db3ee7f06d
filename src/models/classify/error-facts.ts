import { APICallError } from "@ai-sdk/provider";

/**
 * The parts of a provider's error response that classification looks at, read the same way
 * whether the failure came as an HTTP error (`APICallError`) or as a streamed error part.
 */
export interface ProviderErrorFacts {
  /** HTTP status of the response, or the status a streamed error stands for. */
  status: number | undefined;
  /** `error.type`: OpenAI (`insufficient_quota`, `server_error`), Anthropic (`overloaded_error`). */
  type: string | undefined;
  /** `error.code`: OpenAI (`context_length_exceeded`), xAI (a gRPC status description). */
  code: string | undefined;
  /** `error.status`: Google's gRPC status name (`RESOURCE_EXHAUSTED`). */
  grpcStatus: string | undefined;
  /** The provider's own words, empty when it gave none. */
  message: string;
  /** Google's `error.details`: ErrorInfo, QuotaFailure, RetryInfo, Help. */
  details: readonly unknown[];
  /** Response headers with lower-case names; empty for streamed errors. */
  headers: Readonly<Record<string, string>>;
}

/** Bodies larger than this are not parsed: no provider sends an error that long. */
const MAX_BODY_CHARS = 1_000_000;

/**
 * Reads the facts of a provider error, or undefined when `error` is not one (a network
 * failure, a parse error, an abort). An `APICallError` counts only with a 4xx/5xx status:
 * without one, the request never got an error answer.
 */
export function readErrorFacts(error: unknown): ProviderErrorFacts | undefined {
  if (APICallError.isInstance(error)) {
    if (error.statusCode === undefined || error.statusCode < 400) return undefined;
    // `data` is the body parsed by the provider's error schema; when the body did not fit
    // the schema (Ollama's `{"error":"..."}` on the OpenAI-compatible provider) the SDK
    // leaves `data` unset and uses the status text as message, so read the raw body too.
    const body = readBody(error.data ?? parseJson(error.responseBody));
    return {
      ...body,
      status: error.statusCode,
      message: body.message ?? error.message,
      headers: lowerCaseKeys(error.responseHeaders),
    };
  }
  if (!isRecord(error)) return undefined;
  // AI SDK Core's StreamProviderError is an Error with the same fields as a stream part.
  if (error instanceof Error && httpStatus(error.statusCode) === undefined) return undefined;
  return readStreamError(error);
}

/**
 * Streamed error parts are plain objects: the SDK's ProviderStreamError (`message`, `type`,
 * `code`, `statusCode`, `data`), or the provider's raw error frame on the OpenAI-compatible
 * provider. `type` may be an event name (`error`, `response.failed`) rather than an error
 * type; those are skipped.
 */
function readStreamError(part: Record<string, unknown>): ProviderErrorFacts | undefined {
  const body = readBody(part.data ?? part);
  const own = readBody(part);
  const message = text(part.message) ?? body.message ?? own.message;
  if (message === undefined) return undefined;
  const type = errorType(part.type);
  return {
    status: httpStatus(part.statusCode) ?? body.status ?? own.status,
    type: type ?? body.type ?? own.type,
    code: errorCode(part.code) ?? body.code ?? own.code,
    grpcStatus: body.grpcStatus ?? own.grpcStatus,
    message,
    details: body.details.length > 0 ? body.details : own.details,
    headers: {},
  };
}

interface BodyFacts {
  status: number | undefined;
  type: string | undefined;
  code: string | undefined;
  grpcStatus: string | undefined;
  message: string | undefined;
  details: readonly unknown[];
}

/**
 * Finds the error object in the shapes the providers use: `{error: {...}}` (OpenAI, Google,
 * Anthropic's HTTP body), `{type, message}` (Anthropic stream errors), `{code, error: "..."}`
 * (xAI), `{error: "..."}` (Ollama), `{response: {error}}` (OpenAI `response.failed`), and a
 * one-element array of those (Gemini's OpenAI-compatible endpoint).
 */
function readBody(value: unknown): BodyFacts {
  const body = Array.isArray(value) ? value[0] : value;
  if (!isRecord(body)) {
    return {
      status: undefined,
      type: undefined,
      code: undefined,
      grpcStatus: undefined,
      message: undefined,
      details: [],
    };
  }
  const response = isRecord(body.response) ? body.response : undefined;
  const inner =
    (isRecord(response?.error) ? response.error : undefined) ??
    (isRecord(body.error) ? body.error : body);
  const details = inner.details;
  return {
    status: httpStatus(inner.code) ?? httpStatus(inner.status),
    type: errorType(inner.type),
    code: errorCode(inner.code),
    grpcStatus: text(inner.status),
    message: text(inner.message) ?? text(body.error) ?? text(body.message),
    details: Array.isArray(details) ? details : [],
  };
}

function parseJson(body: string | undefined): unknown {
  if (body === undefined || body.length > MAX_BODY_CHARS) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) result[name.toLowerCase()] = value;
  return result;
}

function httpStatus(value: unknown): number | undefined {
  const status = typeof value === "string" && /^\d{3}$/.test(value) ? Number(value) : value;
  return typeof status === "number" && Number.isInteger(status) && status >= 400 && status <= 599
    ? status
    : undefined;
}

/** An error type, not an event name: `error` and `response.failed` say nothing. */
function errorType(value: unknown): string | undefined {
  const type = text(value);
  return type === undefined || type === "error" || type.startsWith("response.") ? undefined : type;
}

/** Google and some compatible servers repeat the HTTP status as `code`: that is no code. */
function errorCode(value: unknown): string | undefined {
  const code = text(value);
  return code === undefined || /^\d+$/.test(code) ? undefined : code;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
