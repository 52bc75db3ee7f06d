import type { ResolvedUsage } from "../reply-usage.js";
import {
  type ErrorDescription,
  type ResolvedReply,
  type StreamFrames,
  sseEvent,
  type WireContext,
  type WireFormat,
} from "./wire-format.js";

// Shapes follow recorded api.openai.com /v1/chat/completions responses (2025): usage details are
// always present with zeros; `cache_write_tokens` only when the test gives a cache write, as
// only some OpenAI-compatible servers report it.
function chatUsage(usage: ResolvedUsage): Record<string, unknown> {
  const promptTokensDetails: Record<string, number> = {
    cached_tokens: usage.cacheReadTokens,
    audio_tokens: 0,
  };
  if (usage.cacheWriteTokens !== undefined) {
    promptTokensDetails.cache_write_tokens = usage.cacheWriteTokens;
  }
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: promptTokensDetails,
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function finishReason(reply: ResolvedReply): string {
  return reply.finishReason === "length" ? "length" : "stop";
}

function chunkEnvelope(context: WireContext): Record<string, unknown> {
  return {
    id: `chatcmpl-${context.id}`,
    object: "chat.completion.chunk",
    created: context.created,
    model: context.model,
    service_tier: "default",
    system_fingerprint: "fp_fakeprovider",
  };
}

function chunk(
  context: WireContext,
  choice: { delta: Record<string, unknown>; finish_reason: string | null },
): string {
  const value: Record<string, unknown> = {
    ...chunkEnvelope(context),
    choices: [
      { index: 0, delta: choice.delta, logprobs: null, finish_reason: choice.finish_reason },
    ],
  };
  if (context.includeUsage) value.usage = null;
  return sseEvent(JSON.stringify(value));
}

/** `POST /v1/chat/completions`, as used by @ai-sdk/openai `.chat()` and @ai-sdk/openai-compatible. */
export const openaiChatCompletionsWire: WireFormat = {
  body(reply: ResolvedReply, context: WireContext): string {
    return JSON.stringify({
      id: `chatcmpl-${context.id}`,
      object: "chat.completion",
      created: context.created,
      model: context.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: reply.text, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: finishReason(reply),
        },
      ],
      usage: chatUsage(reply.usage),
      service_tier: "default",
      system_fingerprint: "fp_fakeprovider",
    });
  },

  stream(reply: ResolvedReply, context: WireContext): StreamFrames {
    let tail = chunk(context, { delta: {}, finish_reason: finishReason(reply) });
    // OpenAI sends usage only when asked, in an extra chunk with no choices.
    if (context.includeUsage) {
      tail += sseEvent(
        JSON.stringify({ ...chunkEnvelope(context), choices: [], usage: chatUsage(reply.usage) }),
      );
    }
    tail += sseEvent("[DONE]");
    return {
      head: chunk(context, {
        delta: { role: "assistant", content: "", refusal: null },
        finish_reason: null,
      }),
      deltas: reply.chunks.map((text) =>
        chunk(context, { delta: { content: text }, finish_reason: null }),
      ),
      tail,
    };
  },

  streamError(error: ErrorDescription): string {
    // Mid-stream failures arrive as a bare data line holding the usual error object.
    return sseEvent(typeof error.body === "string" ? error.body : JSON.stringify(error.body));
  },

  rawEvent(data: string): string {
    return sseEvent(data);
  },
};
