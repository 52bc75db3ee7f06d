import type { RecordedRequest } from "./recorded-request.js";
import type { ReplyUsage } from "./reply-usage.js";

/** A normal answer in the wire format of the route that was called. */
export interface ReplyBehaviour {
  kind: "reply";
  /** @defaultValue "Hello from the fake provider." */
  text?: string;
  /** Stream deltas; joined they form the text. @defaultValue `text` split before each word */
  chunks?: readonly string[];
  usage?: ReplyUsage;
  /** `length` maps to `max_tokens`, `MAX_TOKENS`, `max_output_tokens`… @defaultValue "stop" */
  finishReason?: "stop" | "length";
  /** Wait before sending anything, like time to first byte. @defaultValue 0 */
  delayMs?: number;
  /** Wait before each stream delta. @defaultValue 0 */
  chunkDelayMs?: number;
  headers?: Readonly<Record<string, string>>;
}

/** What a reply-shaped behaviour sends before it fails. */
export type PartialReply = Omit<ReplyBehaviour, "kind">;

/** An HTTP error. Without `body`, the route's provider fixture for `status` is sent. */
export interface ErrorBehaviour {
  kind: "error";
  status: number;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
}

/** Read the request, then never answer: until the client aborts or the server closes. */
export interface HangBehaviour {
  kind: "hang";
}

/** Destroy the socket (TCP reset) without any response. */
export interface ResetBehaviour {
  kind: "reset";
}

/**
 * Status 200 with a body that is not JSON. On a stream, the usual opening events come first,
 * then one event whose data is `body`, then the stream ends.
 */
export interface InvalidJsonBehaviour {
  kind: "invalidJson";
  /** @defaultValue a JSON document cut off in the middle */
  body?: string;
}

/**
 * Send the opening events and `afterChunks` text deltas, then destroy the socket. On a JSON
 * request: the headers and half of the body.
 */
export interface StreamCutBehaviour {
  kind: "streamCut";
  afterChunks: number;
  reply?: PartialReply;
}

/**
 * Send the opening events and `afterChunks` text deltas, then end the response cleanly: no
 * finish reason, no usage, no end marker (`[DONE]`, `message_stop`, `response.completed`, the
 * chunk with `finishReason`), and no error. What a proxy or a crashed upstream that closes the
 * stream politely sends; the client cannot tell it from a finished stream by the connection.
 * On a JSON request: the first half of the body, with a `content-length` that matches it.
 */
export interface StreamEndEarlyBehaviour {
  kind: "streamEndEarly";
  afterChunks: number;
  reply?: PartialReply;
}

/**
 * Status 200 with a body that is not an event stream, on a stream request: what a server or
 * proxy that ignores `stream: true` (or turns a failure into a 200 page) sends. On a JSON
 * request the same body is sent, so the default is an ordinary reply there.
 */
export interface NotEventStreamBehaviour {
  kind: "notEventStream";
  /**
   * A string is sent as is, as `text/plain`; anything else as JSON.
   * @defaultValue the route's non-streaming JSON reply for `reply`
   */
  body?: unknown;
  reply?: PartialReply;
}

/** Like `streamCut`, but the connection stays open and silent. */
export interface StreamStallBehaviour {
  kind: "streamStall";
  afterChunks: number;
  reply?: PartialReply;
}

/**
 * An error inside a 200 stream, in the provider's own form: Anthropic `event: error`, an
 * `{"error":…}` data line for chat completions and Gemini, an `error` event for the Responses
 * API. On a JSON request it is sent as the HTTP error instead.
 */
export interface StreamErrorBehaviour {
  kind: "streamError";
  /**
   * Without it the error is the very first event. With it, the opening events and this many
   * text deltas come first (0: opened, no text yet).
   */
  afterChunks?: number;
  /** Status and body to describe. @defaultValue the route's provider fixture for 500/529/503 */
  error?: Omit<ErrorBehaviour, "kind">;
  reply?: PartialReply;
}

/**
 * Wait, then serve `behaviour` (any, e.g. an error after some latency). Not named `then`: an
 * object with a `then` function would be taken for a promise when a behaviour function returns it.
 */
export interface DelayBehaviour {
  kind: "delay";
  ms: number;
  behaviour: Behaviour;
}

/** Decide per request; may return a promise. */
export type BehaviourFunction = (request: RecordedRequest) => Behaviour | Promise<Behaviour>;

export type Behaviour =
  | ReplyBehaviour
  | ErrorBehaviour
  | HangBehaviour
  | ResetBehaviour
  | InvalidJsonBehaviour
  | StreamCutBehaviour
  | StreamStallBehaviour
  | StreamEndEarlyBehaviour
  | StreamErrorBehaviour
  | NotEventStreamBehaviour
  | DelayBehaviour
  | BehaviourFunction;

export const defaultReplyText = "Hello from the fake provider.";

/** The reply served when nothing is queued and no default is set. */
export const defaultReply: ReplyBehaviour = Object.freeze({ kind: "reply" });
