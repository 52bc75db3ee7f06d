import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { BudgetConfig } from "../../config/model-settings-schema.js";
import type { Store } from "../../store/index.js";
import type { SpendLimit } from "../call/model-request.js";
import { ModelError } from "../errors/model-error.js";
import { type ModelDatabase, modelDb } from "../tables/model-tables.js";
import { formatUsd, nanoUsdToUsd } from "../usage/cost.js";
import type { LedgerCompanion } from "../usage/model-ledger.js";
import {
  type BudgetLine,
  budgetLinesFor,
  hasAnyBudget,
  LIFETIME_PERIOD,
  withSpendLimits,
} from "./budget-periods.js";
import {
  createCounters,
  reclaimAllLines,
  reclaimHolds,
  requestHolds,
  reserveAllLines,
  settleAllLines,
  settleHolds,
} from "./budget-statements.js";
import { budgetTriggerViews, refusedLine } from "./budget-trigger-views.js";

/** Budget held for one call in flight on one model. */
export interface BudgetHold {
  id: string;
  alias: string;
  amountNanoUsd: number;
  lines: readonly BudgetLine[];
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

const DAY_MS = 86_400_000;

/**
 * Hard spending limits that hold across concurrent callers and processes. Before a call, its
 * worst-case cost is reserved on every counter that applies, atomically, and only if
 * `spent + reserved + amount < limit` on each; after the call the hold is settled to the real
 * cost. On PostgreSQL (`dataModifyingCtes`) each of reserve, settle and reclaim is one
 * autocommit statement that locks its counter rows in a fixed order (budget-statements.ts says
 * why that cannot deadlock): a counter row is locked for one statement, not for a transaction's
 * round trips. On SQLite each is one INSERT into a view whose trigger does the work
 * (budget-trigger-views.ts says why that is atomic and serialised), so it needs no transaction
 * of its own (and the settle can share the ledger's: see `settle`). Either way no interleaving
 * can overshoot a limit.
 */
export class BudgetGuard {
  private readonly store: Store;
  /** The store's connection typed with the gateway's tables, looked up once. */
  private readonly db: Kysely<ModelDatabase>;
  private readonly options: BudgetGuardOptions;
  private readonly now: () => number;
  private readonly budget: BudgetConfig | undefined;
  /**
   * `budgetLinesFor` per alias, for the UTC day it was computed in: a line's period (day or
   * month) only changes at midnight UTC, and a call on the hot path should not format dates
   * and sort lines again.
   */
  private readonly linesByAlias = new Map<string, { day: number; lines: readonly BudgetLine[] }>();
  readonly active: boolean;
  /** Counter rows this guard has seen committed: their INSERT … ON CONFLICT can be skipped. */
  private readonly knownCounters = new Set<string>();
  private lastReclaimAt = Number.NEGATIVE_INFINITY;
  /** SQLite: whether this store's connection has the budget's trigger views. */
  private viewsReady = false;

  constructor(store: Store, budget: BudgetConfig | undefined, options: BudgetGuardOptions) {
    this.store = store;
    this.db = modelDb(store);
    this.options = options;
    this.now = options.now ?? Date.now;
    this.budget = budget;
    this.active = hasAnyBudget(budget);
  }

  /** The configured lines of `alias` at `at` (empty without a budget), remembered for the day. */
  private linesFor(alias: string, at: number): readonly BudgetLine[] {
    if (!this.active) return [];
    const day = Math.floor(at / DAY_MS);
    const cached = this.linesByAlias.get(alias);
    if (cached?.day === day) return cached.lines;
    const lines = Object.freeze(budgetLinesFor(this.budget, alias, at));
    this.linesByAlias.set(alias, { day, lines });
    return lines;
  }

  /** Whether any limit applies to calls on `alias` (with the caller's own `limits`). */
  appliesTo(alias: string, limits: readonly SpendLimit[] = []): boolean {
    if (limits.length > 0) return true;
    return this.linesFor(alias, this.now()).length > 0;
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
    limits: readonly SpendLimit[] = [],
  ): Promise<BudgetHold | undefined> {
    const at = this.now();
    const configured = this.linesFor(alias, at);
    const lines = limits.length === 0 ? configured : withSpendLimits(configured, limits);
    if (lines.length === 0) return undefined;
    const hold: BudgetHold = { id: randomUUID(), alias, amountNanoUsd, lines };
    // Reclaiming holds of crashed callers is a scan; it runs now and then, and always before
    // a call is refused, so a dead process's holds never cost anyone a call.
    const reclaimFirst = at - this.lastReclaimAt >= RECLAIM_INTERVAL_MS;
    let refused = await this.tryReserve(hold, at, holdTtlMs, reclaimFirst);
    if (refused && !reclaimFirst) refused = await this.tryReserve(hold, at, holdTtlMs, true);
    if (!refused) return hold;
    const status = refused.status;
    throw new ModelError(
      `${alias}: budget exceeded: ${refused.line.source} is ${formatNanoUsd(refused.line.limitNanoUsd)}; ` +
        `spent ${formatNanoUsd(status.spent)}, held by calls in flight ${formatNanoUsd(status.reserved)}, ` +
        `this call may cost up to ${formatNanoUsd(amountNanoUsd)}` +
        (refused.line.period === LIFETIME_PERIOD ? "" : ` (${refused.line.period})`),
      { kind: "budget_exceeded", model: alias, provider, providerCode: refused.line.source },
    );
  }

  /** One reservation; returns the refusing line when a line has no room, else undefined. */
  private async tryReserve(
    hold: BudgetHold,
    at: number,
    holdTtlMs: number,
    reclaim: boolean,
  ): Promise<Refusal | undefined> {
    const refused = this.store.capabilities.dataModifyingCtes
      ? await this.reserveInOneStatement(hold, at, holdTtlMs, reclaim)
      : await this.reserveThroughTrigger(hold, at, holdTtlMs, reclaim);
    if (reclaim) this.lastReclaimAt = at;
    return refused;
  }

  private async reserveInOneStatement(
    hold: BudgetHold,
    at: number,
    holdTtlMs: number,
    reclaim: boolean,
  ): Promise<Refusal | undefined> {
    const db = this.db;
    const lineCount = hold.lines.length;
    await this.createUnknownCounters(db, hold.lines, at);
    this.markCountersKnown(hold.lines);
    if (reclaim) await reclaimAllLines.run(db, lineCount, [at, ...scopesAndPeriods(hold.lines)]);
    const values: unknown[] = [hold.amountNanoUsd, at, hold.id, at + holdTtlMs];
    for (const line of hold.lines) values.push(line.scope, line.period, line.limitNanoUsd);
    const { rows } = await reserveAllLines.run(db, lineCount, values);
    if (rows.length === hold.lines.length && Number(rows[0]?.held) === hold.lines.length) {
      return undefined;
    }
    // None was held: name the first line without room, as it was when the statement ran.
    for (const line of hold.lines) {
      const row = rows.find(
        (candidate) => candidate.scope === line.scope && candidate.period === line.period,
      );
      const spent = Number(row?.spent_nanousd ?? 0);
      const reserved = Number(row?.reserved_nanousd ?? 0);
      if (!row || spent + reserved + hold.amountNanoUsd >= line.limitNanoUsd) {
        return { line, status: { spent, reserved } };
      }
    }
    throw new Error(`budget: reservation of ${hold.alias} held nothing, yet every line had room`);
  }

  /** SQLite: one statement (and one before it to reclaim, when asked). */
  private async reserveThroughTrigger(
    hold: BudgetHold,
    at: number,
    holdTtlMs: number,
    reclaim: boolean,
  ): Promise<Refusal | undefined> {
    const db = this.db;
    const lineCount = hold.lines.length;
    if (!this.viewsReady) await this.ensureTriggerViews();
    if (reclaim) await reclaimHolds.run(db, lineCount, [at, ...scopesAndPeriods(hold.lines)]);
    const values: unknown[] = [hold.id, hold.amountNanoUsd, at, at + holdTtlMs];
    for (const line of hold.lines) values.push(line.scope, line.period, line.limitNanoUsd);
    try {
      await requestHolds.run(db, lineCount, values);
      return undefined;
    } catch (error) {
      const refused = refusedLine(error);
      const line = refused
        ? hold.lines.find(
            (candidate) => candidate.scope === refused.scope && candidate.period === refused.period,
          )
        : undefined;
      if (!refused || !line) throw error;
      return { line, status: { spent: Number(refused.spent), reserved: Number(refused.reserved) } };
    }
  }

  private async ensureTriggerViews(): Promise<void> {
    await budgetTriggerViews(this.store);
    this.viewsReady = true;
  }

  /** Only once committed: counter rows are never deleted, so they stay known. */
  private markCountersKnown(lines: readonly BudgetLine[]): void {
    for (const line of lines) this.knownCounters.add(`${line.scope}|${line.period}`);
  }

  private async createUnknownCounters(
    runner: Kysely<ModelDatabase>,
    lines: readonly BudgetLine[],
    at: number,
  ): Promise<void> {
    const unknown = lines.filter((line) => !this.knownCounters.has(`${line.scope}|${line.period}`));
    if (unknown.length === 0) return;
    await createCounters.run(runner, unknown.length, [at, ...scopesAndPeriods(unknown)]);
  }

  /**
   * Releases the hold and records the real cost. Safe to call once per hold. Each counter gives
   * back the hold only if this settle's own DELETE removed the hold's row: a hold that a
   * concurrent caller reclaimed after it expired was already given back there.
   *
   * With `companion` (the ledger), on a store with one connection (SQLite: writes are
   * serialised anyway, and a commit is most of a small write's cost) the settle joins the
   * companion's next transaction: one commit for the settle and the call's ledger row. On a
   * pool (PostgreSQL) the settle is its own statement, so its counter rows are locked for that
   * statement only, not for the rest of a longer transaction.
   */
  async settle(
    hold: BudgetHold,
    actualNanoUsd: number,
    companion?: LedgerCompanion,
  ): Promise<void> {
    const at = this.now();
    const capabilities = this.store.capabilities;
    if (!capabilities.dataModifyingCtes && !this.viewsReady) await this.ensureTriggerViews();
    if (companion && !capabilities.multipleConnections) {
      await companion.writeAlongside((trx) => this.settleWithin(trx, hold, actualNanoUsd, at));
    } else {
      await this.settleWithin(this.db, hold, actualNanoUsd, at);
    }
  }

  /** The settle as one statement, on `runner`: the store, or the caller's transaction. */
  private async settleWithin(
    runner: Kysely<ModelDatabase>,
    hold: BudgetHold,
    actualNanoUsd: number,
    at: number,
  ): Promise<void> {
    const statement = this.store.capabilities.dataModifyingCtes ? settleAllLines : settleHolds;
    await statement.run(runner, hold.lines.length, [
      hold.id,
      actualNanoUsd,
      at,
      ...scopesAndPeriods(hold.lines),
    ]);
  }
}

/** A line without room, with its counter as seen by the refusing statement. */
interface Refusal {
  line: BudgetLine;
  status: { spent: number; reserved: number };
}

function scopesAndPeriods(lines: readonly BudgetLine[]): string[] {
  const values: string[] = [];
  for (const line of lines) values.push(line.scope, line.period);
  return values;
}
