import { describe, expect, it } from "vitest";
import { didYouMean } from "./did-you-mean.js";
import { PROVIDERS } from "./model-settings-schema.js";

describe("didYouMean", () => {
  it("suggests the closest candidate for a typo", () => {
    expect(didYouMean("antropic", PROVIDERS)).toBe("anthropic");
    expect(didYouMean("modles", ["models", "fallbacks", "budget"])).toBe("models");
    expect(didYouMean("openai_compatible", PROVIDERS)).toBe("openai-compatible");
  });

  it("ignores case", () => {
    expect(didYouMean("timeoutMS", ["timeoutMs", "retries"])).toBe("timeoutMs");
    expect(didYouMean("Google", PROVIDERS)).toBe("google");
  });

  it("stays silent when nothing is close", () => {
    expect(didYouMean("mistral", PROVIDERS)).toBeUndefined();
    expect(didYouMean("x", [])).toBeUndefined();
  });

  it("allows more edits for longer words", () => {
    // 3 edits: too many for a 6-letter word, fine for a 12-letter one.
    expect(didYouMean("bxdxex", ["budget"])).toBeUndefined();
    expect(didYouMean("maxRtryAftrM", ["maxRetryAfterMs"])).toBe("maxRetryAfterMs");
  });
});
