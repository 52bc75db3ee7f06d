import type { ResolvedUsage } from "../reply-usage.js";
import { errorBodyFields } from "./error-body-fields.js";
import {
  type ErrorDescription,
  type ResolvedReply,
  type StreamFrames,
  sseEvent,
  type WireContext,
  type WireFormat,
} from "./wire-format.js";

// Shapes follow recorded api.openai.com /v1/responses responses; api.x.ai serves the same API
// and @ai-sdk/xai validates these fields strictly (object, status, output items in full).
function responsesUsage(usage: ResolvedUsage): Record<string, unknown> {
  const inputTokensDetails: Record<string, number> = { cached_tokens: usage.cacheReadTokens };
  if (usage.cacheWriteTokens !== undefined) {
    inputTokensDetails.cache_write_tokens = usage.cacheWriteTokens;
  }
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: inputTokensDetails,
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

function outputText(text: string): Record<string, unknown> {
  return { type: "output_text", annotations: [], logprobs: [], text };
}

function messageItem(context: WireContext, text: string | undefined): Record<string, unknown> {
  return {
    id: `msg_${context.id}`,
    type: "message",
    status: text === undefined ? "in_progress" : "completed",
    content: text === undefined ? [] : [outputText(text)],
    role: "assistant",
  };
}

function response(context: WireContext, reply: ResolvedReply | undefined): Record<string, unknown> {
  const incomplete = reply?.finishReason === "length";
  const status = reply === undefined ? "in_progress" : incomplete ? "incomplete" : "completed";
  return {
    id: `resp_${context.id}`,
    object: "response",
    created_at: context.created,
    status,
    error: null,
    incomplete_details: incomplete ? { reason: "max_output_tokens" } : null,
    model: context.model,
    output: reply === undefined ? [] : [messageItem(context, reply.text)],
    parallel_tool_calls: true,
    service_tier: "default",
    store: true,
    tool_choice: "auto",
    tools: [],
    usage: reply === undefined ? null : responsesUsage(reply.usage),
  };
}

/** Numbered events: every Responses stream event carries a `sequence_number`. */
function event(type: string, sequenceNumber: number, fields: Record<string, unknown>): string {
  return sseEvent(JSON.stringify({ type, sequence_number: sequenceNumber, ...fields }), type);
}

const headEventCount = 4;

const codeByStatus: Readonly<Record<number, string>> = {
  400: "invalid_request_error",
  401: "invalid_api_key",
  403: "permission_error",
  404: "model_not_found",
  429: "rate_limit_exceeded",
  503: "service_unavailable",
};

/** Only snake_case codes are kept: xAI's HTTP bodies put prose in `code`. */
function machineCode(value: string | undefined): string | undefined {
  return value !== undefined && /^[a-z0-9_]+$/.test(value) ? value : undefined;
}

/** `POST /v1/responses`: the default API of @ai-sdk/openai v4 and the only one of @ai-sdk/xai. */
export const openaiResponsesWire: WireFormat = {
  body(reply: ResolvedReply, context: WireContext): string {
    return JSON.stringify(response(context, reply));
  },

  stream(reply: ResolvedReply, context: WireContext): StreamFrames {
    const itemFields = { item_id: `msg_${context.id}`, output_index: 0, content_index: 0 };
    const head =
      event("response.created", 0, { response: response(context, undefined) }) +
      event("response.in_progress", 1, { response: response(context, undefined) }) +
      event("response.output_item.added", 2, {
        output_index: 0,
        item: messageItem(context, undefined),
      }) +
      event("response.content_part.added", 3, { ...itemFields, part: outputText("") });
    const deltas = reply.chunks.map((delta, index) =>
      event("response.output_text.delta", headEventCount + index, {
        ...itemFields,
        delta,
        logprobs: [],
      }),
    );
    let sequenceNumber = headEventCount + deltas.length;
    const finalType =
      reply.finishReason === "length" ? "response.incomplete" : "response.completed";
    const tail =
      event("response.output_text.done", sequenceNumber++, {
        ...itemFields,
        text: reply.text,
        logprobs: [],
      }) +
      event("response.content_part.done", sequenceNumber++, {
        ...itemFields,
        part: outputText(reply.text),
      }) +
      event("response.output_item.done", sequenceNumber++, {
        output_index: 0,
        item: messageItem(context, reply.text),
      }) +
      event(finalType, sequenceNumber, { response: response(context, reply) });
    return { head, deltas, tail };
  },

  streamError(error: ErrorDescription, _context: WireContext, deltasSent: number | undefined) {
    // The documented `error` event is flat: {type, code, message, param, sequence_number}.
    const fields = errorBodyFields(error.body, error.status);
    return event("error", deltasSent === undefined ? 0 : headEventCount + deltasSent, {
      code:
        machineCode(fields.code) ??
        machineCode(fields.type) ??
        codeByStatus[error.status] ??
        "server_error",
      message: fields.message,
      param: null,
    });
  },

  rawEvent(data: string): string {
    return sseEvent(data, "response.output_text.delta");
  },
};
