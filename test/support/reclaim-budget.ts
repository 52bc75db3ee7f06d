import { configSchema } from "../../src/config/index.js";
import { BudgetGuard } from "../../src/models/index.js";
import type { Store } from "../../src/store/index.js";

/** Daily and monthly global limits plus a per-model one: every hold spans three counters. */
export const RECLAIM_BUDGET = configSchema.parse({
  models: { gpt: { provider: "openai", model: "gpt-5", price: { input: 1, output: 2 } } },
  budget: { daily_usd: 1, monthly_usd: 10, per_model: { gpt: { daily_usd: 1 } } },
}).budget;

export const RECLAIM_HOLD_NANO_USD = 1_000;

/** Holds of a caller that then died: they expire after 1 ms and nobody settles them. */
export async function holdAndCrash(store: Store, count: number): Promise<void> {
  const crashed = new BudgetGuard(store, RECLAIM_BUDGET, { holdTtlMs: 1 });
  for (let index = 0; index < count; index += 1) {
    await crashed.reserve("gpt", "openai", RECLAIM_HOLD_NANO_USD);
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A live caller's guard: it reclaims expired holds before its first reservation. */
export function liveGuard(store: Store): BudgetGuard {
  return new BudgetGuard(store, RECLAIM_BUDGET, { holdTtlMs: 600_000 });
}
