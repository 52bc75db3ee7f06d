import { type ResolvedUsage, uncachedInputTokens } from "../reply-usage.js";
import {
  type ErrorDescription,
  type ResolvedReply,
  type StreamFrames,
  sseEvent,
  type WireContext,
  type WireFormat,
} from "./wire-format.js";

// Shapes follow recorded api.anthropic.com /v1/messages responses. Anthropic's input_tokens
// counts only uncached prompt tokens; cache reads and writes are reported beside it.
function messagesUsage(usage: ResolvedUsage, outputTokens: number): Record<string, unknown> {
  const value: Record<string, unknown> = {
    input_tokens: uncachedInputTokens(usage),
    cache_creation_input_tokens: usage.cacheWriteTokens ?? 0,
    cache_read_input_tokens: usage.cacheReadTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: usage.cacheWriteTokens ?? 0,
      ephemeral_1h_input_tokens: 0,
    },
    output_tokens: outputTokens,
    service_tier: "standard",
  };
  if (usage.reasoningTokens !== undefined) {
    value.output_tokens_details = { thinking_tokens: usage.reasoningTokens };
  }
  return value;
}

function stopReason(reply: ResolvedReply): string {
  return reply.finishReason === "length" ? "max_tokens" : "end_turn";
}

function event(type: string, fields: Record<string, unknown>): string {
  return sseEvent(JSON.stringify({ type, ...fields }), type);
}

/** `POST /v1/messages`, as used by @ai-sdk/anthropic. */
export const anthropicMessagesWire: WireFormat = {
  body(reply: ResolvedReply, context: WireContext): string {
    return JSON.stringify({
      id: `msg_${context.id}`,
      type: "message",
      role: "assistant",
      model: context.model,
      content: [{ type: "text", text: reply.text }],
      stop_reason: stopReason(reply),
      stop_sequence: null,
      usage: messagesUsage(reply.usage, reply.usage.outputTokens),
    });
  },

  stream(reply: ResolvedReply, context: WireContext): StreamFrames {
    const { usage } = reply;
    const head =
      event("message_start", {
        message: {
          id: `msg_${context.id}`,
          type: "message",
          role: "assistant",
          model: context.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          // The opening count of output tokens is a placeholder, as in the real stream.
          usage: messagesUsage({ ...usage, reasoningTokens: undefined }, 1),
        },
      }) +
      event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }) +
      event("ping", {});
    const deltas = reply.chunks.map((text) =>
      event("content_block_delta", { index: 0, delta: { type: "text_delta", text } }),
    );
    const finalUsage = messagesUsage(usage, usage.outputTokens);
    delete finalUsage.cache_creation;
    delete finalUsage.service_tier;
    const tail =
      event("content_block_stop", { index: 0 }) +
      event("message_delta", {
        delta: { stop_reason: stopReason(reply), stop_sequence: null },
        usage: finalUsage,
      }) +
      event("message_stop", {});
    return { head, deltas, tail };
  },

  streamError(error: ErrorDescription): string {
    // Anthropic's in-stream error event carries the same body as its HTTP errors.
    return sseEvent(
      typeof error.body === "string" ? error.body : JSON.stringify(error.body),
      "error",
    );
  },

  rawEvent(data: string): string {
    return sseEvent(data, "content_block_delta");
  },
};
