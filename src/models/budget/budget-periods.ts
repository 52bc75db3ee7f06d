import type { BudgetConfig } from "../../config/model-settings-schema.js";
import type { SpendLimit } from "../call/model-request.js";
import { usdToNanoUsd } from "../usage/cost.js";

/** One counter a call must fit under: a scope, a calendar period (UTC) and its limit. */
export interface BudgetLine {
  /** `global` or `model:<alias>`. */
  scope: string;
  /** `day:2026-11-21` or `month:2026-11`. */
  period: string;
  limitNanoUsd: number;
  /** For messages: `daily_usd`, `budget.per_model.claude.monthly_usd`. */
  source: string;
}

export function dayPeriod(at: number): string {
  return `day:${new Date(at).toISOString().slice(0, 10)}`;
}

export function monthPeriod(at: number): string {
  return `month:${new Date(at).toISOString().slice(0, 7)}`;
}

/**
 * Every limit that applies to a call on `alias` at time `at`, in a fixed order (scope, then
 * period) so concurrent transactions lock counter rows in the same order and cannot deadlock.
 */
export function budgetLinesFor(
  budget: BudgetConfig | undefined,
  alias: string,
  at: number,
): BudgetLine[] {
  if (!budget) return [];
  const lines: BudgetLine[] = [];
  const add = (scope: string, period: string, usd: number | undefined, source: string): void => {
    if (usd !== undefined) lines.push({ scope, period, limitNanoUsd: usdToNanoUsd(usd), source });
  };
  add("global", dayPeriod(at), budget.daily_usd, "budget.daily_usd");
  add("global", monthPeriod(at), budget.monthly_usd, "budget.monthly_usd");
  const perModel = budget.per_model?.[alias];
  add(`model:${alias}`, dayPeriod(at), perModel?.daily_usd, `budget.per_model.${alias}.daily_usd`);
  add(
    `model:${alias}`,
    monthPeriod(at),
    perModel?.monthly_usd,
    `budget.per_model.${alias}.monthly_usd`,
  );
  return lines.sort(inLockOrder);
}

/** Period of a caller's own limit: it counts for as long as its scope lives (a run). */
export const LIFETIME_PERIOD = "all";

/**
 * `lines` with a line per caller limit, in the lock order of `budgetLinesFor`. A scope given
 * twice keeps its lowest limit: the counter is one.
 */
export function withSpendLimits(
  lines: readonly BudgetLine[],
  limits: readonly SpendLimit[],
): readonly BudgetLine[] {
  if (limits.length === 0) return lines;
  const own = new Map<string, BudgetLine>();
  for (const limit of limits) {
    const limitNanoUsd = usdToNanoUsd(limit.limitUsd);
    const known = own.get(limit.scope);
    if (known && known.limitNanoUsd <= limitNanoUsd) continue;
    own.set(limit.scope, {
      scope: limit.scope,
      period: LIFETIME_PERIOD,
      limitNanoUsd,
      source: limit.label,
    });
  }
  return [...lines, ...own.values()].sort(inLockOrder);
}

function inLockOrder(left: BudgetLine, right: BudgetLine): number {
  return left.scope === right.scope
    ? left.period.localeCompare(right.period)
    : left.scope.localeCompare(right.scope);
}

export function hasAnyBudget(budget: BudgetConfig | undefined): boolean {
  if (!budget) return false;
  if (budget.daily_usd !== undefined || budget.monthly_usd !== undefined) return true;
  return Object.values(budget.per_model ?? {}).some(
    (limits) => limits.daily_usd !== undefined || limits.monthly_usd !== undefined,
  );
}
