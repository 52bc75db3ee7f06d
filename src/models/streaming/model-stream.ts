import type { ModelErrorKind } from "../../config/model-settings-schema.js";
import type { ModelResult } from "../call/model-request.js";
import type { ModelError } from "../errors/model-error.js";
import type { TokenUsage } from "../usage/token-usage.js";

// Where it was declared before it moved to its own file; imports from here keep working.
export { IncompleteStreamError } from "./incomplete-stream-error.js";

/** What a streaming call reports, in order. Exactly one `finish`, `incomplete` or `error` ends it. */
export type ModelStreamEvent =
  /** A retry on the same model, before any content arrived. */
  | { type: "retry"; model: string; attempt: number; kind: ModelErrorKind; delayMs: number }
  /** The chain moves on to another model, before any content arrived. */
  | { type: "fallback"; from: string; to: string; kind: ModelErrorKind; message: string }
  /** Content started arriving from this model; the stream is committed to it from here on. */
  | { type: "model"; model: string; provider: string; modelId: string; simulated: boolean }
  | { type: "text"; text: string }
  | { type: "reasoning"; text: string }
  /** The answer is complete. */
  | { type: "finish"; result: ModelResult }
  /**
   * The answer broke off after content had arrived: the connection failed, went silent, sent
   * an error, or closed before the provider's finish event. `text` is everything received;
   * `usage` is what the provider reported, or an estimate when it never did (`usageEstimated`).
   */
  | {
      type: "incomplete";
      model: string;
      error: ModelError;
      text: string;
      usage: TokenUsage;
      usageEstimated: boolean;
      costUsd: number;
    }
  /** No model produced any content; the call failed like a non-streaming one. */
  | { type: "error"; error: ModelError };

/** A streaming call. The call runs whether or not anyone iterates it. */
export interface ModelStream extends AsyncIterable<ModelStreamEvent> {
  /** Just the text, as it arrives. Iterate either this or the stream itself, once. */
  textStream(): AsyncIterable<string>;
  /**
   * The complete answer. Rejects with a ModelError when no model answered, and with an
   * `IncompleteStreamError` when the answer broke off: a partial answer is never a result.
   */
  readonly result: Promise<ModelResult>;
}
