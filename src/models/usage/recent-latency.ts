import type { Store } from "../../store/index.js";
import { modelDb } from "../tables/model-tables.js";

/** How many of an alias's latest successful calls the median is taken over. */
export const RECENT_LATENCY_SAMPLE = 50;

/**
 * The median latency (ms) of each alias's most recent successful calls in the ledger; an alias
 * with no successful call is absent. Each alias is one indexed query (alias, created_at).
 */
export async function recentLatencyMs(
  store: Store,
  aliases: readonly string[],
  sample = RECENT_LATENCY_SAMPLE,
): Promise<Map<string, number>> {
  const medians = new Map<string, number>();
  for (const alias of new Set(aliases)) {
    const rows = await modelDb(store)
      .selectFrom("model_calls")
      .select("latency_ms")
      .where("alias", "=", alias)
      .where("outcome", "=", "success")
      .orderBy("created_at", "desc")
      .limit(sample)
      .execute();
    if (rows.length === 0) continue;
    const latencies = rows.map((row) => Number(row.latency_ms)).sort((left, right) => left - right);
    const middle = Math.floor(latencies.length / 2);
    const median =
      latencies.length % 2 === 1
        ? (latencies[middle] as number)
        : ((latencies[middle - 1] as number) + (latencies[middle] as number)) / 2;
    medians.set(alias, Math.round(median));
  }
  return medians;
}
