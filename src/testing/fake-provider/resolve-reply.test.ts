import { describe, expect, test } from "vitest";
import { resolveReply, splitIntoChunks } from "./resolve-reply.js";

describe("splitIntoChunks", () => {
  test("splits before each word and keeps every character", () => {
    expect(splitIntoChunks("Hello there,  world. ")).toEqual(["Hello", " there,", "  world.", " "]);
  });

  test("gives no chunk for empty text", () => {
    expect(splitIntoChunks("")).toEqual([]);
  });
});

describe("resolveReply", () => {
  test("joins explicit chunks into the text", () => {
    expect(resolveReply({ chunks: ["a", "b"] })).toMatchObject({ text: "ab", chunks: ["a", "b"] });
  });

  test("fills in the default text, usage and finish reason", () => {
    expect(resolveReply(undefined)).toEqual({
      text: "Hello from the fake provider.",
      chunks: ["Hello", " from", " the", " fake", " provider."],
      usage: {
        inputTokens: 10,
        cacheReadTokens: 0,
        cacheWriteTokens: undefined,
        outputTokens: 5,
        reasoningTokens: undefined,
      },
      finishReason: "stop",
    });
  });
});
