import type { ProviderShape } from "../provider-shape.js";
import type { ResolvedUsage } from "../reply-usage.js";

export interface WireContext {
  provider: ProviderShape;
  model: string;
  /** Chat completions: the request asked for `stream_options.include_usage`. */
  includeUsage: boolean;
  /** Unique enough for one response: goes into response and message ids. */
  id: string;
  /** Unix seconds. */
  created: number;
}

export interface ResolvedReply {
  text: string;
  chunks: readonly string[];
  usage: ResolvedUsage;
  finishReason: "stop" | "length";
}

/** A stream in three parts, so failures can stop it after any number of deltas. */
export interface StreamFrames {
  /** Opening events, before any text. */
  head: string;
  /** One event per text chunk. */
  deltas: string[];
  /** Closing events: finish reason, usage, end marker. */
  tail: string;
}

export interface ErrorDescription {
  status: number;
  body: unknown;
}

/** How one HTTP API spells replies, streams and in-band errors. */
export interface WireFormat {
  /** The body of a non-streaming reply. */
  body(reply: ResolvedReply, context: WireContext): string;
  stream(reply: ResolvedReply, context: WireContext): StreamFrames;
  /**
   * The provider's in-band error event. `deltasSent` is `undefined` when the error opens the
   * stream, else the number of deltas before it (used for sequence numbers).
   */
  streamError(
    error: ErrorDescription,
    context: WireContext,
    deltasSent: number | undefined,
  ): string;
  /** One event whose data is `data` verbatim, for garbled-stream tests. */
  rawEvent(data: string): string;
}

export function sseEvent(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}
