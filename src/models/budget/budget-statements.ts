import type { RawBuilder, Sql } from "kysely";
import { PreparedQueryPerCount } from "../../store/index.js";

/*
 * The budget's SQL, compiled once per shape (number of budget lines: the count each statement
 * is run with) and run with fresh values.
 *
 * Lock order (PostgreSQL): every statement that writes a hold row or a counter first locks the
 * counter rows of its lines with `SELECT … ORDER BY scope, period FOR UPDATE` (the `locked` CTE)
 * and reaches hold rows only through a join with `locked`, so a hold row of a line is touched
 * only once that line's counter is locked, and counters are always locked in (scope, period)
 * order. Two statements therefore never wait for each other in a cycle: the deadlock between
 * concurrent reclaimers (each holding one line's rows of the same hold, under READ COMMITTED
 * where each statement sees its own snapshot) cannot happen. After waiting for a lock, READ
 * COMMITTED re-reads the locked row's newest version, so the limit is checked on what is
 * committed, under the lock: no interleaving overshoots a limit.
 */

type Parameter = (index: number) => unknown;

function indices(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

/**
 * `wanted (scope, period)` from values first, first + 1 (per line `width` values, scope and
 * period first), and `locked`: those counter rows, locked in (scope, period) order.
 */
function lockedCounters(
  lineCount: number,
  parameter: Parameter,
  tag: Sql,
  first: number,
  withLimit: boolean,
): RawBuilder<unknown> {
  const width = withLimit ? 3 : 2;
  const rows = indices(lineCount).map((line) => {
    const at = first + line * width;
    return withLimit
      ? tag`(${parameter(at)}, ${parameter(at + 1)}, cast(${parameter(at + 2)} as bigint))`
      : tag`(${parameter(at)}, ${parameter(at + 1)})`;
  });
  const columns = withLimit ? tag`(scope, period, limit_nanousd)` : tag`(scope, period)`;
  const limit = withLimit ? tag`, w.limit_nanousd` : tag``;
  return tag`wanted ${columns} as (values ${tag.join(rows)}),
    locked as (
      select c.scope, c.period, c.spent_nanousd, c.reserved_nanousd${limit}
      from budget_counters c join wanted w on c.scope = w.scope and c.period = w.period
      order by c.scope, c.period
      for update of c
    )`;
}

/** Creates missing counter rows. Values: at, then scope and period per line. */
export const createCounters = new PreparedQueryPerCount(
  (lineCount, parameter, tag) =>
    tag`insert into budget_counters (scope, period, spent_nanousd, reserved_nanousd, updated_at)
      values ${tag.join(
        indices(lineCount).map(
          (line) =>
            tag`(${parameter(1 + 2 * line)}, ${parameter(2 + 2 * line)}, 0, 0, ${parameter(0)})`,
        ),
      )}
      on conflict (scope, period) do nothing`,
);

export interface ReservedLine {
  scope: string;
  period: string;
  spent_nanousd: number;
  reserved_nanousd: number;
  /** Lines held by this statement: all of them, or none when one had no room. */
  held: number;
}

/**
 * PostgreSQL, one statement: holds `amount` on every line if each has room (`spent + reserved
 * + amount < limit`), else on none, and inserts the hold rows. Returns each line's counter as
 * it was before, with the number of lines held. Values: amount, at, id, expires_at, then
 * scope, period and limit per line.
 */
export const reserveAllLines = new PreparedQueryPerCount<ReservedLine>(
  (lineCount, parameter, tag) =>
    tag`with ${lockedCounters(lineCount, parameter, tag, 4, true)},
    fits as (
      select count(*) = ${tag.lit(lineCount)} as ok from locked
      where spent_nanousd + reserved_nanousd + cast(${parameter(0)} as bigint) < limit_nanousd
    ),
    updated as (
      update budget_counters c
      set reserved_nanousd = c.reserved_nanousd + cast(${parameter(0)} as bigint),
        updated_at = cast(${parameter(1)} as bigint)
      from locked l
      where c.scope = l.scope and c.period = l.period and (select ok from fits)
      returning c.scope, c.period
    ),
    held as (
      insert into budget_reservations (id, scope, period, amount_nanousd, created_at, expires_at)
      select cast(${parameter(2)} as text), scope, period, cast(${parameter(0)} as bigint),
        cast(${parameter(1)} as bigint), cast(${parameter(3)} as bigint)
      from updated
    )
    select l.scope, l.period, l.spent_nanousd, l.reserved_nanousd,
      (select count(*) from updated) as held
    from locked l
    order by l.scope, l.period`,
);

/**
 * PostgreSQL, one statement: removes the hold's rows and gives back, per line, exactly what
 * was removed (a hold a reclaimer already removed was given back there), and adds the real
 * cost to spent. Values: id, actual, at, then scope and period per line.
 */
export const settleAllLines = new PreparedQueryPerCount(
  (lineCount, parameter, tag) =>
    tag`with ${lockedCounters(lineCount, parameter, tag, 3, false)},
    removed as (
      delete from budget_reservations r using locked l
      where r.id = cast(${parameter(0)} as text) and r.scope = l.scope and r.period = l.period
      returning r.scope, r.period, r.amount_nanousd
    )
    update budget_counters c
    set reserved_nanousd = c.reserved_nanousd - cast(coalesce((
        select sum(r.amount_nanousd) from removed r where r.scope = c.scope and r.period = c.period
      ), 0) as bigint),
      spent_nanousd = c.spent_nanousd + cast(${parameter(1)} as bigint),
      updated_at = cast(${parameter(2)} as bigint)
    from locked l
    where c.scope = l.scope and c.period = l.period`,
);

/**
 * PostgreSQL, one statement: removes the expired holds of these lines and subtracts exactly
 * what it removed (DELETE … RETURNING: a concurrent reclaimer's rows are not counted twice).
 * Values: at, then scope and period per line.
 */
export const reclaimAllLines = new PreparedQueryPerCount(
  (lineCount, parameter, tag) =>
    tag`with ${lockedCounters(lineCount, parameter, tag, 1, false)},
    removed as (
      delete from budget_reservations r using locked l
      where r.scope = l.scope and r.period = l.period and r.expires_at < cast(${parameter(0)} as bigint)
      returning r.scope, r.period, r.amount_nanousd
    ),
    totals as (
      select scope, period, sum(amount_nanousd) as total from removed group by scope, period
    )
    update budget_counters c
    set reserved_nanousd = c.reserved_nanousd - cast(t.total as bigint)
    from totals t
    where c.scope = t.scope and c.period = t.period`,
);

/*
 * SQLite: one INSERT per step into the views of budget-trigger-views.ts, a row per line.
 */

/** Holds `amount` on every line, or on none (the trigger's RAISE undoes the statement). Values: id, amount, at, expires_at, then scope, period and limit per line. */
export const requestHolds = new PreparedQueryPerCount(
  (lineCount, parameter, tag) =>
    tag`insert into budget_hold_requests
      (id, scope, period, amount_nanousd, created_at, expires_at, limit_nanousd)
      values ${tag.join(
        indices(lineCount).map(
          (line) =>
            tag`(${parameter(0)}, ${parameter(4 + 3 * line)}, ${parameter(5 + 3 * line)}, ${parameter(1)}, ${parameter(2)}, ${parameter(3)}, ${parameter(6 + 3 * line)})`,
        ),
      )}`,
);

/** Removes the hold and records the real cost on every line. Values: id, actual, at, then scope and period per line. */
export const settleHolds = new PreparedQueryPerCount(
  (lineCount, parameter, tag) =>
    tag`insert into budget_settlements (id, scope, period, actual_nanousd, settled_at)
      values ${tag.join(
        indices(lineCount).map(
          (line) =>
            tag`(${parameter(0)}, ${parameter(3 + 2 * line)}, ${parameter(4 + 2 * line)}, ${parameter(1)}, ${parameter(2)})`,
        ),
      )}`,
);

/** Gives back the expired holds of these lines. Values: at, then scope and period per line. */
export const reclaimHolds = new PreparedQueryPerCount(
  (lineCount, parameter, tag) =>
    tag`insert into budget_reclaims (scope, period, reclaimed_at)
      values ${tag.join(
        indices(lineCount).map(
          (line) => tag`(${parameter(1 + 2 * line)}, ${parameter(2 + 2 * line)}, ${parameter(0)})`,
        ),
      )}`,
);
