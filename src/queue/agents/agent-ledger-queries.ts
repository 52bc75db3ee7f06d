import { sql } from "kysely";
import { modelDb } from "../../models/tables/model-tables.js";
import type { Store } from "../../store/index.js";

/** Calls of a set of aliases since a moment, by outcome and error kind. */
export interface LedgerOutcomeCount {
  outcome: string;
  errorKind: string | null;
  calls: number;
  costUsd: number;
}

/** One group per (outcome, error kind): calls and spend. Uses the (alias, created_at) index. */
export async function countOutcomes(
  store: Store,
  aliases: readonly string[],
  since: number,
): Promise<LedgerOutcomeCount[]> {
  const rows = await modelDb(store)
    .selectFrom("model_calls")
    .select([
      "outcome",
      "error_kind",
      sql<number>`count(*)`.as("calls"),
      sql<number>`sum(cost_usd)`.as("cost_usd"),
    ])
    .where("alias", "in", aliases)
    .where("created_at", ">=", since)
    .groupBy(["outcome", "error_kind"])
    .execute();
  return rows.map((row) => ({
    outcome: row.outcome,
    errorKind: row.error_kind,
    calls: Number(row.calls),
    costUsd: Number(row.cost_usd),
  }));
}

/** Nearest-rank percentiles (ms) of successful calls; null without any. */
export interface LatencyPercentiles {
  p50: number | null;
  p95: number | null;
}

/**
 * p50 and p95 of the latency of successful calls, computed in SQL on both backends: window
 * functions rank the window's rows, and the nearest rank ⌈p·n⌉ is integer arithmetic
 * ((n·p + 99) / 100 in whole numbers), so neither percentile_cont (PostgreSQL only) nor a
 * sample in JavaScript is needed. Only the (at most two) ranked rows come back.
 */
export async function latencyPercentiles(
  store: Store,
  aliases: readonly string[],
  since: number,
): Promise<LatencyPercentiles> {
  const db = modelDb(store);
  const ranked = db
    .selectFrom("model_calls")
    .select([
      "latency_ms",
      sql<number>`row_number() over (order by latency_ms)`.as("position"),
      sql<number>`count(*) over ()`.as("total"),
    ])
    .where("alias", "in", aliases)
    .where("outcome", "=", "success")
    .where("created_at", ">=", since);
  const rows = await db
    .selectFrom(ranked.as("ranked"))
    .select(["latency_ms", "position", "total"])
    .where((where) =>
      where.or([
        where("position", "=", sql<number>`(total * 50 + 99) / 100`),
        where("position", "=", sql<number>`(total * 95 + 99) / 100`),
      ]),
    )
    .execute();
  const first = rows[0];
  if (first === undefined) return { p50: null, p95: null };
  const total = Number(first.total);
  const at = (percent: number): number | null => {
    const rank = Math.ceil((total * percent) / 100);
    const row = rows.find((candidate) => Number(candidate.position) === rank);
    return row === undefined ? null : Number(row.latency_ms);
  };
  return { p50: at(50), p95: at(95) };
}

/** One ledger row, for walking the latest calls. */
export interface LedgerOutcome {
  outcome: string;
  errorKind: string | null;
  createdAt: number;
}

/** The latest `limit` calls since `since`, newest first. */
export async function latestOutcomes(
  store: Store,
  aliases: readonly string[],
  since: number,
  limit: number,
): Promise<LedgerOutcome[]> {
  const rows = await modelDb(store)
    .selectFrom("model_calls")
    .select(["outcome", "error_kind", "created_at"])
    .where("alias", "in", aliases)
    .where("created_at", ">=", since)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    outcome: row.outcome,
    errorKind: row.error_kind,
    createdAt: Number(row.created_at),
  }));
}
