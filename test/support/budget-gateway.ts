import { dayPeriod } from "../../src/models/budget/budget-periods.js";
import { modelDb } from "../../src/models/tables/model-tables.js";
import type { Store } from "../../src/store/index.js";
import { createTestGateway, type TestGateway } from "./test-gateway.js";

/**
 * The arithmetic of the budget tests, by hand. A call with the prompt "hi" and no system text
 * has an input bound of 32 (prompt overhead) + 2 (bytes) + 16 (per part) = 50 tokens. At
 * $1 / $2 per million input / output tokens (1000 / 2000 nano-USD a token) and maxTokens 100,
 * the gateway holds 50·1000 + 100·2000 = 250 000 nano-USD per call.
 */
export const BUDGET_PROMPT = "hi";
export const BUDGET_PRICE = { input: 1, output: 2 } as const;
export const BUDGET_MAX_TOKENS = 100;
export const HOLD_NANO_USD = 250_000;

/** A reply that costs exactly what was held: 50 input tokens, 100 output tokens. */
export const FULL_COST_USAGE = { inputTokens: 50, outputTokens: BUDGET_MAX_TOKENS } as const;

/**
 * A daily limit that fits exactly `calls` holds under the rule `spent + reserved + amount <
 * limit`: `calls` holds leave one hold of room, and one more would reach the limit exactly,
 * which is refused.
 */
export function dailyUsdFitting(calls: number): number {
  return ((calls + 1) * HOLD_NANO_USD) / 1e9;
}

/**
 * A gateway whose one model `gpt` is priced and capped as above, under `daily_usd`.
 * `openaiBaseURL` is the fake server's `baseURL.openai` (a child process has only its URL).
 */
export function createBudgetGateway(options: {
  openaiBaseURL: string;
  store: Store;
  dailyUsd: number;
}): TestGateway {
  return createTestGateway({
    store: options.store,
    models: {
      gpt: {
        provider: "openai",
        model: "gpt-5",
        baseURL: options.openaiBaseURL,
        price: BUDGET_PRICE,
        maxTokens: BUDGET_MAX_TOKENS,
      },
    },
    budget: { daily_usd: options.dailyUsd },
  });
}

/** The global budget line's counters today, in nano-USD; zeros before the first hold. */
export async function globalCounter(store: Store): Promise<{ spent: number; reserved: number }> {
  const row = await modelDb(store)
    .selectFrom("budget_counters")
    .select(["spent_nanousd", "reserved_nanousd"])
    .where("scope", "=", "global")
    .where("period", "=", dayPeriod(Date.now()))
    .executeTakeFirst();
  return { spent: Number(row?.spent_nanousd ?? 0), reserved: Number(row?.reserved_nanousd ?? 0) };
}
