import { InvalidResponseDataError, type LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { classifyError } from "../classify/classify-error.js";
import { isProviderFinish, notEventStream, streamEndedEarly } from "./stream-ending.js";

type FinishPart = Extract<LanguageModelV4StreamPart, { type: "finish" }>;

function finish(unified: FinishPart["finishReason"]["unified"], raw: string | undefined) {
  const part: FinishPart = {
    type: "finish",
    finishReason: { unified, raw },
    usage: { inputTokens: {}, outputTokens: {} } as FinishPart["usage"],
  };
  return part;
}

describe("isProviderFinish", () => {
  it("takes a finish with the provider's own reason for the provider's finish event", () => {
    expect(isProviderFinish(finish("stop", "stop"))).toBe(true);
    expect(isProviderFinish(finish("length", "MAX_TOKENS"))).toBe(true);
    expect(isProviderFinish(finish("content-filter", "SAFETY"))).toBe(true);
    expect(isProviderFinish(finish("stop", "completed"))).toBe(true);
  });

  it("refuses the finish a package makes up when the stream ended early", () => {
    // @ai-sdk/openai (chat), anthropic and google
    expect(isProviderFinish(finish("interrupted", undefined))).toBe(false);
    // @ai-sdk/xai (Responses API)
    expect(isProviderFinish(finish("other", undefined))).toBe(false);
    // @ai-sdk/openai-compatible, after its own error part
    expect(isProviderFinish(finish("error", undefined))).toBe(false);
  });
});

describe("stream ending errors", () => {
  const context = { alias: "m", provider: "openai", model: "gpt" } as const;

  it("classifies a stream that ended early as a retryable parse failure", () => {
    const error = classifyError(streamEndedEarly(), context);

    expect(error.kind).toBe("parse");
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      "m (openai gpt): parse (AI_InvalidResponseDataError): the stream ended before the provider's finish event (the server closed it cleanly)",
    );
  });

  it("names the content type of a body that is not an event stream, and the key to check", () => {
    const failure = notEventStream("application/json", "m");

    expect(InvalidResponseDataError.isInstance(failure)).toBe(true);
    const error = classifyError(failure, context);
    expect(error.kind).toBe("parse");
    expect(error.message).toContain("a 200 application/json body, not an event stream");
    expect(error.message).toContain("models.m.baseURL");
  });

  it("does not blame an event stream, nor a response without headers", () => {
    expect(notEventStream("text/event-stream", "m")).toBeUndefined();
    expect(notEventStream("text/event-stream; charset=utf-8", "m")).toBeUndefined();
    expect(notEventStream("Text/Event-Stream", "m")).toBeUndefined();
    expect(notEventStream(undefined, "m")).toBeUndefined();
    expect(notEventStream("text/plain", "m")).toBeDefined();
    expect(notEventStream("text/event-streamer", "m")).toBeDefined();
  });
});
