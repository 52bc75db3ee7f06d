import { randomUUID } from "node:crypto";
import { sql, type Transaction } from "kysely";
import type { BudgetConfig } from "../../config/model-settings-schema.js";
import type { Store } from "../../store/index.js";
import { ModelError } from "../errors/model-error.js";
import { inModelTransaction, type ModelDatabase, modelDb } from "../tables/model-tables.js";
import { formatUsd, nanoUsdToUsd } from "../usage/cost.js";
import { type BudgetLine, budgetLinesFor, hasAnyBudget } from "./budget-periods.js";

/** Budget held for one call in flight on one model. */
export interface BudgetHold {
  id: string;
  alias: string;
  amountNanoUsd: number;
  lines: BudgetLine[];
}

export interface BudgetGuardOptions {
  /**
   * How long a hold lives before another caller may reclaim it (its owner crashed), unless
   * `reserve` is given the call's own.
   */
  holdTtlMs: number;
  now?: () => number;
}

function formatNanoUsd(nanoUsd: number): string {
  return formatUsd(nanoUsdToUsd(nanoUsd));
}

/** How often a guard scans for holds of crashed callers on its own. */
const RECLAIM_INTERVAL_MS = 10_000;

class BudgetRefusal extends Error {
  readonly line: BudgetLine;
  constructor(line: BudgetLine) {
    super(line.source);
    this.line = line;
  }
}

/**
 * Hard spending limits that hold across concurrent callers and processes. Before a call, its
 * worst-case cost is reserved on every counter that applies, in one transaction, and only if
 * `spent + reserved + amount < limit` on each; after the call the hold is settled to the real
 * cost. A conditional UPDATE is atomic on both backends (SQLite serialises writers with
 * BEGIN IMMEDIATE; PostgreSQL re-checks the WHERE clause after a concurrent update commits),
 * so no interleaving can overshoot a limit.
 */
export class BudgetGuard {
  private readonly store: Store;
  private readonly budget: BudgetConfig | undefined;
  private readonly options: BudgetGuardOptions;
  private readonly now: () => number;
  readonly active: boolean;
  /** Counter rows this guard has seen committed: their INSERT … ON CONFLICT can be skipped. */
  private readonly knownCounters = new Set<string>();
  private lastReclaimAt = Number.NEGATIVE_INFINITY;

  constructor(store: Store, budget: BudgetConfig | undefined, options: BudgetGuardOptions) {
    this.store = store;
    this.budget = budget;
    this.options = options;
    this.now = options.now ?? Date.now;
    this.active = hasAnyBudget(budget);
  }

  /** Whether any limit applies to calls on `alias`. */
  appliesTo(alias: string): boolean {
    return this.active && budgetLinesFor(this.budget, alias, this.now()).length > 0;
  }

  /**
   * Holds `amountNanoUsd` for a call on `alias`, or throws ModelError(budget_exceeded) before any
   * request is sent. Returns undefined when no limit applies to this model. `holdTtlMs` must
   * outlast the call (its deadline, plus time to settle): an expired hold is given back to
   * other callers while the call may still spend. @defaultValue options.holdTtlMs
   */
  async reserve(
    alias: string,
    provider: string,
    amountNanoUsd: number,
    holdTtlMs: number = this.options.holdTtlMs,
  ): Promise<BudgetHold | undefined> {
    const at = this.now();
    const lines = budgetLinesFor(this.budget, alias, at);
    if (lines.length === 0) return undefined;
    const hold: BudgetHold = { id: randomUUID(), alias, amountNanoUsd, lines };
    // Reclaiming holds of crashed callers is a scan; it runs now and then, and always before
    // a call is refused, so a dead process's holds never cost anyone a call.
    const reclaimFirst = at - this.lastReclaimAt >= RECLAIM_INTERVAL_MS;
    try {
      try {
        await this.tryReserve(hold, at, holdTtlMs, reclaimFirst);
      } catch (error) {
        if (!(error instanceof BudgetRefusal) || reclaimFirst) throw error;
        await this.tryReserve(hold, at, holdTtlMs, true);
      }
    } catch (error) {
      if (!(error instanceof BudgetRefusal)) throw error;
      const status = await this.lineStatus(error.line);
      throw new ModelError(
        `${alias}: budget exceeded: ${error.line.source} is ${formatNanoUsd(error.line.limitNanoUsd)}; ` +
          `spent ${formatNanoUsd(status.spent)}, held by calls in flight ${formatNanoUsd(status.reserved)}, ` +
          `this call may cost up to ${formatNanoUsd(amountNanoUsd)} (${error.line.period})`,
        { kind: "budget_exceeded", model: alias, provider, providerCode: error.line.source },
      );
    }
    return hold;
  }

  /** One reservation transaction; throws BudgetRefusal when a line has no room. */
  private async tryReserve(
    hold: BudgetHold,
    at: number,
    holdTtlMs: number,
    reclaim: boolean,
  ): Promise<void> {
    const amountNanoUsd = hold.amountNanoUsd;
    await inModelTransaction(this.store, async (trx) => {
      for (const line of hold.lines) {
        if (!this.knownCounters.has(`${line.scope}|${line.period}`)) {
          await trx
            .insertInto("budget_counters")
            .values({
              scope: line.scope,
              period: line.period,
              spent_nanousd: 0,
              reserved_nanousd: 0,
              updated_at: at,
            })
            .onConflict((conflict) => conflict.columns(["scope", "period"]).doNothing())
            .execute();
        }
      }
      if (reclaim) {
        await this.lockCounters(trx, hold.lines);
        await this.reclaimExpired(trx, hold.lines, at);
      }
      for (const line of hold.lines) {
        const updated = await trx
          .updateTable("budget_counters")
          .set((expression) => ({
            reserved_nanousd: expression("reserved_nanousd", "+", amountNanoUsd),
            updated_at: at,
          }))
          .where("scope", "=", line.scope)
          .where("period", "=", line.period)
          .where(
            sql<boolean>`spent_nanousd + reserved_nanousd + ${amountNanoUsd} < ${line.limitNanoUsd}`,
          )
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) throw new BudgetRefusal(line);
      }
      await trx
        .insertInto("budget_reservations")
        .values(
          hold.lines.map((line) => ({
            id: hold.id,
            scope: line.scope,
            period: line.period,
            amount_nanousd: amountNanoUsd,
            created_at: at,
            expires_at: at + holdTtlMs,
          })),
        )
        .execute();
    });
    // Only once committed: counter rows are never deleted, so they stay known.
    for (const line of hold.lines) this.knownCounters.add(`${line.scope}|${line.period}`);
    if (reclaim) this.lastReclaimAt = at;
  }

  /**
   * Releases the hold and records the real cost. Safe to call once per hold. Each counter gives
   * back the hold only if this transaction's own DELETE removed the hold's row: a hold that a
   * concurrent caller reclaimed after it expired was already given back there.
   */
  async settle(hold: BudgetHold, actualNanoUsd: number): Promise<void> {
    const at = this.now();
    await inModelTransaction(this.store, async (trx) => {
      await this.lockCounters(trx, hold.lines);
      for (const line of hold.lines) {
        const removed = await trx
          .deleteFrom("budget_reservations")
          .where("id", "=", hold.id)
          .where("scope", "=", line.scope)
          .where("period", "=", line.period)
          .executeTakeFirst();
        const stillHeld = Number(removed.numDeletedRows) > 0;
        await trx
          .updateTable("budget_counters")
          .set((expression) => ({
            reserved_nanousd: stillHeld
              ? expression("reserved_nanousd", "-", hold.amountNanoUsd)
              : expression.ref("reserved_nanousd"),
            spent_nanousd: expression("spent_nanousd", "+", actualNanoUsd),
            updated_at: at,
          }))
          .where("scope", "=", line.scope)
          .where("period", "=", line.period)
          .execute();
      }
    });
  }

  private async lineStatus(line: BudgetLine): Promise<{ spent: number; reserved: number }> {
    const row = await modelDb(this.store)
      .selectFrom("budget_counters")
      .select(["spent_nanousd", "reserved_nanousd"])
      .where("scope", "=", line.scope)
      .where("period", "=", line.period)
      .executeTakeFirst();
    return { spent: Number(row?.spent_nanousd ?? 0), reserved: Number(row?.reserved_nanousd ?? 0) };
  }

  /**
   * Locks the counter rows of `lines`, in their fixed order, before any hold row is touched.
   * Under READ COMMITTED each statement sees its own snapshot, so a transaction can find a
   * hold's row on one line but not (yet) on another; without this lock, two transactions could
   * each hold one line's rows of the same hold and wait for the other's (deadlock seen with
   * four processes reclaiming at once). Every hold row is touched only under its line's
   * counter lock, and those are taken in one order. SQLite's write lock already serialises.
   */
  private async lockCounters(
    trx: Transaction<ModelDatabase>,
    lines: readonly BudgetLine[],
  ): Promise<void> {
    if (!this.store.capabilities.rowLocks || lines.length === 0) return;
    await trx
      .selectFrom("budget_counters")
      .select("scope")
      .where((where) =>
        where.or(
          lines.map((line) =>
            where.and([where("scope", "=", line.scope), where("period", "=", line.period)]),
          ),
        ),
      )
      .orderBy("scope")
      .orderBy("period")
      .forUpdate()
      .execute();
  }

  /**
   * Gives back holds whose owners never settled them (a crashed process). Subtracts exactly
   * the rows this transaction's DELETE removed (RETURNING, on both backends): on PostgreSQL a
   * concurrent reclaimer may have read the same expired rows, and its DELETE, which waits for
   * ours to commit, then removes and returns none of them. Subtracting what was merely read
   * gave the same holds back twice and drove the reserve negative.
   */
  private async reclaimExpired(
    trx: Transaction<ModelDatabase>,
    lines: readonly BudgetLine[],
    at: number,
  ): Promise<void> {
    for (const line of lines) {
      const removed = await trx
        .deleteFrom("budget_reservations")
        .where("scope", "=", line.scope)
        .where("period", "=", line.period)
        .where("expires_at", "<", at)
        .returning("amount_nanousd")
        .execute();
      if (removed.length === 0) continue;
      const total = removed.reduce((sum, row) => sum + Number(row.amount_nanousd), 0);
      await trx
        .updateTable("budget_counters")
        .set((expression) => ({ reserved_nanousd: expression("reserved_nanousd", "-", total) }))
        .where("scope", "=", line.scope)
        .where("period", "=", line.period)
        .execute();
    }
  }
}
