import { expect, it } from "vitest";
import { recentLatencyMs } from "../../src/models/index.js";
import { modelDb } from "../../src/models/tables/model-tables.js";
import type { Store } from "../../src/store/index.js";
import { describeEachStore } from "../helpers/stores.js";

async function insertCalls(
  store: Store,
  calls: readonly (readonly [alias: string, latencyMs: number, outcome: string])[],
): Promise<void> {
  await modelDb(store)
    .insertInto("model_calls")
    .values(
      calls.map(([alias, latency, outcome], index) => ({
        id: `call-${index}`,
        created_at: 1_000 + index,
        alias,
        provider: "simulated",
        model: "simulated",
        outcome,
        error_kind: outcome === "success" ? null : "timeout",
        input_tokens: 0,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        output_tokens: 0,
        reasoning_tokens: 0,
        cost_usd: 0,
        latency_ms: latency,
        attempts: 1,
        simulated: 1,
        streamed: 0,
        run_id: null,
        task_id: null,
        step_id: null,
      })),
    )
    .execute();
}

describeEachStore("recent latency per model", (fixture) => {
  it("is the median of the latest successful calls; failures and other aliases do not count", async () => {
    await insertCalls(fixture.store, [
      ["fast", 100, "success"],
      ["fast", 400, "success"],
      ["fast", 200, "success"],
      ["fast", 30_000, "error"],
      ["fast", 300, "success"],
      ["slow", 5_000, "success"],
    ]);
    const medians = await recentLatencyMs(fixture.store, ["fast", "slow", "never", "fast"]);
    expect(Object.fromEntries(medians)).toEqual({ fast: 250, slow: 5_000 });
  });

  it("looks only at the most recent calls", async () => {
    await insertCalls(fixture.store, [
      ["fast", 9_000, "success"],
      ["fast", 9_000, "success"],
      ["fast", 10, "success"],
      ["fast", 20, "success"],
      ["fast", 30, "success"],
    ]);
    expect(Object.fromEntries(await recentLatencyMs(fixture.store, ["fast"], 3))).toEqual({
      fast: 20,
    });
  });
});
