import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { convertOpenAICompatibleChatUsage } from "@ai-sdk/openai-compatible/internal";
import type { LanguageModelV4, LanguageModelV4Usage } from "@ai-sdk/provider";
import { createXai } from "@ai-sdk/xai";
import { describe, expect, it } from "vitest";
import { normalizeUsage, type TokenUsage } from "./token-usage.js";

/**
 * Each provider package turns its own wire format into the SDK's usage with a converter that is
 * not exported (except openai-compatible's). So these tests feed recorded-shape responses
 * through the real provider models, via a fetch that answers locally: the provider's own
 * parsing and conversion run exactly as in production, for a JSON answer and for a stream.
 */

type Reply = { json: unknown } | { sse: readonly unknown[]; events?: readonly string[] };

function fakeFetch(generate: Reply, stream: Reply): typeof globalThis.fetch {
  return async (_input, init) => {
    const body = JSON.parse(String(init?.body ?? "{}")) as { stream?: boolean };
    const url = String(_input);
    const wantsStream = body.stream === true || url.includes("streamGenerateContent");
    const reply = wantsStream ? stream : generate;
    if ("json" in reply) {
      return new Response(JSON.stringify(reply.json), {
        headers: { "content-type": "application/json" },
      });
    }
    const text = reply.sse
      .map((data, index) => {
        const event = reply.events?.[index];
        const payload = typeof data === "string" ? data : JSON.stringify(data);
        return `${event === undefined ? "" : `event: ${event}\n`}data: ${payload}\n\n`;
      })
      .join("");
    return new Response(text, { headers: { "content-type": "text/event-stream" } });
  };
}

const prompt = [{ role: "user" as const, content: [{ type: "text" as const, text: "hi" }] }];

async function usageOf(model: LanguageModelV4): Promise<{
  generated: LanguageModelV4Usage;
  streamed: LanguageModelV4Usage;
}> {
  const generated = (await model.doGenerate({ prompt })).usage;
  const { stream } = await model.doStream({ prompt });
  let streamed: LanguageModelV4Usage | undefined;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value.type === "error") throw new Error(`stream error: ${JSON.stringify(value.error)}`);
    if (value.type === "finish") streamed = value.usage;
  }
  if (streamed === undefined) throw new Error("the stream had no finish part");
  return { generated, streamed };
}

async function expectUsage(model: LanguageModelV4, expected: TokenUsage): Promise<void> {
  const { generated, streamed } = await usageOf(model);
  expect(normalizeUsage(generated)).toEqual(expected);
  expect(normalizeUsage(streamed)).toEqual(expected);
}

describe("normalizeUsage with each provider's own conversion", () => {
  it("OpenAI chat: prompt_tokens includes cached_tokens, completion_tokens includes reasoning", async () => {
    const usage = {
      prompt_tokens: 1_200,
      completion_tokens: 300,
      total_tokens: 1_500,
      prompt_tokens_details: { cached_tokens: 1_000 },
      completion_tokens_details: { reasoning_tokens: 100 },
    };
    const base = { id: "chatcmpl-1", created: 1_700_000_000, model: "gpt-4.1" };
    const openai = createOpenAI({
      apiKey: "test",
      fetch: fakeFetch(
        {
          json: {
            ...base,
            object: "chat.completion",
            choices: [
              { index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" },
            ],
            usage,
          },
        },
        {
          sse: [
            {
              ...base,
              object: "chat.completion.chunk",
              choices: [{ index: 0, delta: { role: "assistant", content: "hi" } }],
            },
            {
              ...base,
              object: "chat.completion.chunk",
              choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
            },
            { ...base, object: "chat.completion.chunk", choices: [], usage },
            "[DONE]",
          ],
        },
      ),
    });
    await expectUsage(openai.chat("gpt-4.1"), {
      inputTokens: 200,
      cacheReadTokens: 1_000,
      cacheWriteTokens: 0,
      outputTokens: 200,
      reasoningTokens: 100,
      totalTokens: 1_500,
    });
  });

  it("OpenAI responses: input_tokens includes cached_tokens, output_tokens includes reasoning", async () => {
    const usage = {
      input_tokens: 1_200,
      input_tokens_details: { cached_tokens: 1_000 },
      output_tokens: 300,
      output_tokens_details: { reasoning_tokens: 100 },
      total_tokens: 1_500,
    };
    const message = {
      type: "message",
      id: "msg_1",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: "hi", annotations: [] }],
    };
    const response = {
      id: "resp_1",
      object: "response",
      created_at: 1_700_000_000,
      model: "gpt-5",
      status: "completed",
      incomplete_details: null,
      output: [message],
      usage,
    };
    const openai = createOpenAI({
      apiKey: "test",
      fetch: fakeFetch(
        { json: response },
        {
          sse: [
            {
              type: "response.created",
              response: { ...response, status: "in_progress", output: [], usage: null },
            },
            {
              type: "response.output_item.added",
              output_index: 0,
              item: { ...message, status: "in_progress", content: [] },
            },
            {
              type: "response.output_text.delta",
              item_id: "msg_1",
              output_index: 0,
              content_index: 0,
              delta: "hi",
            },
            { type: "response.output_item.done", output_index: 0, item: message },
            { type: "response.completed", response },
          ],
        },
      ),
    });
    await expectUsage(openai.responses("gpt-5"), {
      inputTokens: 200,
      cacheReadTokens: 1_000,
      cacheWriteTokens: 0,
      outputTokens: 200,
      reasoningTokens: 100,
      totalTokens: 1_500,
    });
  });

  it("Anthropic messages: input_tokens excludes both cache reads and cache writes", async () => {
    const usage = {
      input_tokens: 200,
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: 1_000,
      output_tokens: 400,
    };
    const message = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5",
      stop_sequence: null,
    };
    const anthropic = createAnthropic({
      apiKey: "test",
      fetch: fakeFetch(
        {
          json: {
            ...message,
            content: [{ type: "text", text: "hi" }],
            stop_reason: "end_turn",
            usage,
          },
        },
        {
          events: [
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop",
          ],
          sse: [
            {
              type: "message_start",
              message: {
                ...message,
                content: [],
                stop_reason: null,
                usage: { ...usage, output_tokens: 1 },
              },
            },
            { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
            { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "hi" } },
            { type: "content_block_stop", index: 0 },
            {
              type: "message_delta",
              delta: { stop_reason: "end_turn", stop_sequence: null },
              usage: { output_tokens: 400 },
            },
            { type: "message_stop" },
          ],
        },
      ),
    });
    await expectUsage(anthropic("claude-sonnet-4-5"), {
      inputTokens: 200,
      cacheReadTokens: 1_000,
      cacheWriteTokens: 300,
      outputTokens: 400,
      reasoningTokens: 0,
      totalTokens: 1_900,
    });
  });

  it("Google generateContent: promptTokenCount includes the cache, thoughts are separate from candidates", async () => {
    const usageMetadata = {
      promptTokenCount: 1_200,
      cachedContentTokenCount: 1_000,
      candidatesTokenCount: 300,
      thoughtsTokenCount: 100,
      totalTokenCount: 1_600,
    };
    const candidate = (text: string, finishReason?: string) => ({
      content: { role: "model", parts: [{ text }] },
      index: 0,
      ...(finishReason === undefined ? {} : { finishReason }),
    });
    const google = createGoogleGenerativeAI({
      apiKey: "test",
      fetch: fakeFetch(
        {
          json: {
            candidates: [candidate("hi", "STOP")],
            usageMetadata,
            modelVersion: "gemini-2.5-pro",
          },
        },
        {
          sse: [
            {
              candidates: [candidate("h")],
              usageMetadata: { promptTokenCount: 1_200, cachedContentTokenCount: 1_000 },
            },
            { candidates: [candidate("i", "STOP")], usageMetadata },
          ],
        },
      ),
    });
    await expectUsage(google("gemini-2.5-pro"), {
      inputTokens: 200,
      cacheReadTokens: 1_000,
      cacheWriteTokens: 0,
      outputTokens: 300,
      reasoningTokens: 100,
      totalTokens: 1_600,
    });
  });

  it("xAI responses: input_tokens includes cached_tokens, output_tokens includes reasoning", async () => {
    const usage = {
      input_tokens: 1_200,
      input_tokens_details: { cached_tokens: 1_000 },
      output_tokens: 300,
      output_tokens_details: { reasoning_tokens: 100 },
      total_tokens: 1_500,
    };
    const message = {
      type: "message",
      id: "msg_1",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: "hi", annotations: [] }],
    };
    const response = {
      id: "resp_1",
      object: "response",
      created_at: 1_700_000_000,
      model: "grok-4",
      status: "completed",
      output: [message],
      usage,
    };
    const xai = createXai({
      apiKey: "test",
      fetch: fakeFetch(
        { json: response },
        {
          sse: [
            {
              type: "response.created",
              response: { ...response, status: "in_progress", output: [], usage: null },
            },
            {
              type: "response.output_item.added",
              output_index: 0,
              item: { ...message, status: "in_progress", content: [] },
            },
            {
              type: "response.output_text.delta",
              item_id: "msg_1",
              output_index: 0,
              content_index: 0,
              delta: "hi",
            },
            { type: "response.output_item.done", output_index: 0, item: message },
            { type: "response.completed", response },
          ],
        },
      ),
    });
    await expectUsage(xai("grok-4"), {
      inputTokens: 200,
      cacheReadTokens: 1_000,
      cacheWriteTokens: 0,
      outputTokens: 200,
      reasoningTokens: 100,
      totalTokens: 1_500,
    });
  });

  it("OpenAI-compatible chat: prompt_tokens includes cached_tokens", async () => {
    const usage = {
      prompt_tokens: 1_200,
      completion_tokens: 300,
      total_tokens: 1_500,
      prompt_tokens_details: { cached_tokens: 1_000 },
      completion_tokens_details: { reasoning_tokens: 100 },
    };
    const expected = {
      inputTokens: 200,
      cacheReadTokens: 1_000,
      cacheWriteTokens: 0,
      outputTokens: 200,
      reasoningTokens: 100,
      totalTokens: 1_500,
    };
    expect(normalizeUsage(convertOpenAICompatibleChatUsage(usage))).toEqual(expected);
    const base = { id: "chatcmpl-1", created: 1_700_000_000, model: "openai/gpt-4.1" };
    const compatible = createOpenAICompatible({
      name: "router",
      baseURL: "http://127.0.0.1:9/v1",
      apiKey: "test",
      includeUsage: true,
      fetch: fakeFetch(
        {
          json: {
            ...base,
            object: "chat.completion",
            choices: [
              { index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" },
            ],
            usage,
          },
        },
        {
          sse: [
            {
              ...base,
              object: "chat.completion.chunk",
              choices: [{ index: 0, delta: { role: "assistant", content: "hi" } }],
            },
            {
              ...base,
              object: "chat.completion.chunk",
              choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
              usage,
            },
            "[DONE]",
          ],
        },
      ),
    });
    await expectUsage(compatible.chatModel("openai/gpt-4.1"), expected);
  });
});
