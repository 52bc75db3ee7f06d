import { describe, expect, it } from "vitest";
import {
  costNanoUsd,
  formatUsd,
  inputTokensBound,
  maxCostNanoUsd,
  nanoUsdToUsd,
  PER_PART_OVERHEAD_TOKENS,
  PROMPT_OVERHEAD_TOKENS,
  usdToNanoUsd,
} from "./cost.js";
import { type PriceSchedule, priceFor } from "./price-table.js";
import { type TokenUsage, ZERO_USAGE } from "./token-usage.js";

function usage(parts: Partial<TokenUsage>): TokenUsage {
  const filled = { ...ZERO_USAGE, ...parts };
  filled.totalTokens =
    filled.inputTokens +
    filled.cacheReadTokens +
    filled.cacheWriteTokens +
    filled.outputTokens +
    filled.reasoningTokens;
  return filled;
}

const sonnet: PriceSchedule = {
  input: 3,
  output: 15,
  cacheRead: 0.3,
  cacheWrite: 3.75,
  reasoning: 15,
};

describe("costNanoUsd", () => {
  it("prices each kind of token at its own rate, exactly", () => {
    // 1,000 × $3/M + 200 × $0.30/M + 500 × $15/M
    expect(
      costNanoUsd(usage({ inputTokens: 1_000, cacheReadTokens: 200, outputTokens: 500 }), sonnet),
    ).toBe(3_000_000 + 60_000 + 7_500_000);
  });

  it("prices cache writes and reasoning at their own rates", () => {
    const price = { ...sonnet, reasoning: 20 };
    // 300 × $3.75/M + 100 × $20/M
    expect(costNanoUsd(usage({ cacheWriteTokens: 300, reasoningTokens: 100 }), price)).toBe(
      1_125_000 + 2_000_000,
    );
  });

  it("rounds up, so spend is never under-counted", () => {
    const tiny = { ...sonnet, input: 0.0005 }; // half a nano-USD a token
    expect(costNanoUsd(usage({ inputTokens: 1 }), tiny)).toBe(1);
    expect(costNanoUsd(usage({ inputTokens: 3 }), tiny)).toBe(2);
    expect(costNanoUsd(usage({ inputTokens: 1_000 }), tiny)).toBe(500);
  });

  it("stays exact for prices that are not exact in binary", () => {
    const price = { input: 1.1, output: 4.4, cacheRead: 0.275, cacheWrite: 1.1, reasoning: 4.4 };
    expect(costNanoUsd(usage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }), price)).toBe(
      5_500_000_000,
    );
    expect(costNanoUsd(usage({ cacheReadTokens: 3 }), price)).toBe(825); // 3 × 0.275 × 1,000
  });

  it("stays exact for very large calls", () => {
    const expensive = { input: 150, output: 600, cacheRead: 150, cacheWrite: 150, reasoning: 600 };
    expect(costNanoUsd(usage({ outputTokens: 10_000_000 }), expensive)).toBe(6_000 * 1e9);
  });

  it("costs nothing at a zero price", () => {
    const free = priceFor("simulated", "simulated");
    expect(free && costNanoUsd(usage({ inputTokens: 5_000, outputTokens: 5_000 }), free)).toBe(0);
  });

  it("switches the whole call to the long-context rates above the threshold", () => {
    const price = priceFor("anthropic", "claude-sonnet-4-5");
    if (price === undefined) throw new Error("claude-sonnet-4-5 should be priced");
    // 199,000 + 1,000 cached = 200,000: not above the threshold.
    expect(
      costNanoUsd(
        usage({ inputTokens: 199_000, cacheReadTokens: 1_000, outputTokens: 100 }),
        price,
      ),
    ).toBe(597_000_000 + 300_000 + 1_500_000);
    // One more prompt token: every token at the long rates ($6, $0.60, $22.50).
    expect(
      costNanoUsd(
        usage({ inputTokens: 199_001, cacheReadTokens: 1_000, outputTokens: 100 }),
        price,
      ),
    ).toBe(1_194_006_000 + 600_000 + 2_250_000);
  });
});

describe("maxCostNanoUsd", () => {
  it("prices the input bound at the dearest input rate and the output cap at the dearest output rate", () => {
    // 1,000 × $3.75/M (cache write) + 500 × $15/M
    expect(maxCostNanoUsd({ inputTokensBound: 1_000, maxOutputTokens: 500 }, sonnet)).toBe(
      3_750_000 + 7_500_000,
    );
    expect(
      maxCostNanoUsd({ inputTokensBound: 0, maxOutputTokens: 100 }, { ...sonnet, reasoning: 60 }),
    ).toBe(6_000_000);
  });

  it("is never below the cost of any call within the bound", () => {
    for (const split of [
      { inputTokens: 1_000, outputTokens: 500 },
      { cacheReadTokens: 1_000, reasoningTokens: 500 },
      { cacheWriteTokens: 1_000, outputTokens: 250, reasoningTokens: 250 },
      { inputTokens: 300, cacheReadTokens: 300, cacheWriteTokens: 400, outputTokens: 500 },
    ]) {
      expect(
        maxCostNanoUsd({ inputTokensBound: 1_000, maxOutputTokens: 500 }, sonnet),
      ).toBeGreaterThanOrEqual(costNanoUsd(usage(split), sonnet));
    }
  });

  it("takes the long-context rates when the bound is above the threshold", () => {
    const price = priceFor("anthropic", "claude-sonnet-4-5");
    if (price === undefined) throw new Error("claude-sonnet-4-5 should be priced");
    // 300,000 × $7.50/M (long cache write) + 1,000 × $22.50/M
    expect(maxCostNanoUsd({ inputTokensBound: 300_000, maxOutputTokens: 1_000 }, price)).toBe(
      2_250_000_000 + 22_500_000,
    );
  });
});

describe("inputTokensBound", () => {
  it("counts UTF-8 bytes plus the overhead allowances", () => {
    expect(inputTokensBound(["héllo", "日本"])).toBe(
      PROMPT_OVERHEAD_TOKENS + 6 + 6 + 2 * PER_PART_OVERHEAD_TOKENS,
    );
    expect(inputTokensBound([])).toBe(PROMPT_OVERHEAD_TOKENS);
  });
});

describe("USD conversions", () => {
  it("converts between USD and integer nano-USD", () => {
    expect(usdToNanoUsd(0.1)).toBe(100_000_000);
    expect(usdToNanoUsd(1.1)).toBe(1_100_000_000);
    expect(usdToNanoUsd(25)).toBe(25_000_000_000);
    expect(nanoUsdToUsd(10_560_000)).toBe(0.01056);
  });
});

describe("formatUsd", () => {
  it("shows $0, six digits below a cent and four above", () => {
    expect(formatUsd(0)).toBe("$0");
    expect(formatUsd(0.00075)).toBe("$0.000750");
    expect(formatUsd(1.5)).toBe("$1.5000");
  });
});
