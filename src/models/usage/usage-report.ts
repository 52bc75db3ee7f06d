import { sql } from "kysely";
import type { Store } from "../../store/index.js";
import { modelDb } from "../tables/model-tables.js";

export type UsageGrouping = "model" | "day";

/** Totals for one model or one UTC day. */
export interface UsageLine {
  /** The alias (grouped by model) or `YYYY-MM-DD` (grouped by day). */
  key: string;
  /** Providers seen in the group, comma-separated. */
  provider: string;
  calls: number;
  failures: number;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
  /** True when any call of the group was simulated. */
  simulated: boolean;
}

export interface UsageReport {
  since: number;
  by: UsageGrouping;
  lines: UsageLine[];
  total: Omit<UsageLine, "key" | "provider">;
}

const DAY_MS = 86_400_000;

/** Tokens and cost from the model ledger since `since` (epoch ms), by model or by UTC day. */
export async function usageReport(
  store: Store,
  since: number,
  by: UsageGrouping,
): Promise<UsageReport> {
  // Integer division of epoch ms gives the UTC day number on both backends. The divisor is a
  // literal, not a parameter: PostgreSQL only matches SELECT and GROUP BY expressions by text.
  const groupKey =
    by === "model" ? sql<string>`alias` : sql<string>`created_at / ${sql.lit(DAY_MS)}`;
  const rows = await modelDb(store)
    .selectFrom("model_calls")
    .select([
      groupKey.as("group_key"),
      sql<number>`count(*)`.as("calls"),
      sql<number>`sum(case when outcome = 'success' then 0 else 1 end)`.as("failures"),
      sql<number>`sum(input_tokens)`.as("input_tokens"),
      sql<number>`sum(cache_read_tokens)`.as("cache_read_tokens"),
      sql<number>`sum(cache_write_tokens)`.as("cache_write_tokens"),
      sql<number>`sum(output_tokens)`.as("output_tokens"),
      sql<number>`sum(reasoning_tokens)`.as("reasoning_tokens"),
      sql<number>`sum(cost_usd)`.as("cost_usd"),
      sql<number>`max(simulated)`.as("simulated"),
      sql<string>`min(provider)`.as("provider_low"),
      sql<string>`max(provider)`.as("provider_high"),
    ])
    .where("created_at", ">=", since)
    .groupBy(groupKey)
    .orderBy(groupKey)
    .execute();
  const lines: UsageLine[] = rows.map((row) => ({
    key:
      by === "model"
        ? String(row.group_key)
        : new Date(Number(row.group_key) * DAY_MS).toISOString().slice(0, 10),
    provider:
      row.provider_low === row.provider_high
        ? row.provider_low
        : `${row.provider_low}, ${row.provider_high}, …`,
    calls: Number(row.calls),
    failures: Number(row.failures),
    inputTokens: Number(row.input_tokens),
    cacheReadTokens: Number(row.cache_read_tokens),
    cacheWriteTokens: Number(row.cache_write_tokens),
    outputTokens: Number(row.output_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
    costUsd: Number(row.cost_usd),
    simulated: Number(row.simulated) > 0,
  }));
  const total = {
    calls: 0,
    failures: 0,
    inputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
    simulated: false,
  };
  for (const line of lines) {
    total.calls += line.calls;
    total.failures += line.failures;
    total.inputTokens += line.inputTokens;
    total.cacheReadTokens += line.cacheReadTokens;
    total.cacheWriteTokens += line.cacheWriteTokens;
    total.outputTokens += line.outputTokens;
    total.reasoningTokens += line.reasoningTokens;
    total.costUsd += line.costUsd;
    total.simulated ||= line.simulated;
  }
  return { since, by, lines, total };
}
