import type { ResolvedUsage } from "../reply-usage.js";
import type {
  ErrorDescription,
  ResolvedReply,
  StreamFrames,
  WireContext,
  WireFormat,
} from "./wire-format.js";

// Shapes follow recorded generativelanguage.googleapis.com v1beta responses. Gemini counts
// cached tokens inside promptTokenCount, thoughts outside candidatesTokenCount, omits zero
// counts, and ends SSE events with CRLF.
function usageMetadata(usage: ResolvedUsage): Record<string, unknown> {
  const thoughtsTokens = usage.reasoningTokens ?? 0;
  const value: Record<string, unknown> = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - thoughtsTokens),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: usage.inputTokens }],
  };
  if (usage.cacheReadTokens > 0) {
    value.cachedContentTokenCount = usage.cacheReadTokens;
    value.cacheTokensDetails = [{ modality: "TEXT", tokenCount: usage.cacheReadTokens }];
  }
  if (thoughtsTokens > 0) value.thoughtsTokenCount = thoughtsTokens;
  return value;
}

function finishReason(reply: ResolvedReply): string {
  return reply.finishReason === "length" ? "MAX_TOKENS" : "STOP";
}

function candidate(text: string, finish: string | undefined): Record<string, unknown> {
  const value: Record<string, unknown> = {
    content: { parts: [{ text }], role: "model" },
    index: 0,
  };
  if (finish !== undefined) value.finishReason = finish;
  return value;
}

function sseData(value: unknown): string {
  return `data: ${typeof value === "string" ? value : JSON.stringify(value)}\r\n\r\n`;
}

/** `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent?alt=sse`. */
export const geminiGenerateContentWire: WireFormat = {
  body(reply: ResolvedReply, context: WireContext): string {
    return JSON.stringify({
      candidates: [candidate(reply.text, finishReason(reply))],
      usageMetadata: usageMetadata(reply.usage),
      modelVersion: context.model,
      responseId: context.id,
    });
  },

  stream(reply: ResolvedReply, context: WireContext): StreamFrames {
    const envelope = { modelVersion: context.model, responseId: context.id };
    const runningUsage = {
      promptTokenCount: reply.usage.inputTokens,
      totalTokenCount: reply.usage.inputTokens,
      promptTokensDetails: [{ modality: "TEXT", tokenCount: reply.usage.inputTokens }],
    };
    return {
      head: "",
      deltas: reply.chunks.map((text) =>
        sseData({
          candidates: [candidate(text, undefined)],
          usageMetadata: runningUsage,
          ...envelope,
        }),
      ),
      tail: sseData({
        candidates: [candidate("", finishReason(reply))],
        usageMetadata: usageMetadata(reply.usage),
        ...envelope,
      }),
    };
  },

  streamError(error: ErrorDescription): string {
    return sseData(error.body);
  },

  rawEvent(data: string): string {
    return `data: ${data}\r\n\r\n`;
  },
};
