import { type Kysely, sql } from "kysely";
import type { Store } from "../../store/index.js";
import { type ModelDatabase, modelDb } from "../tables/model-tables.js";

/*
 * On a store without data-modifying CTEs (SQLite), one statement can write only one table. So
 * that reserve, settle and reclaim are each still one statement (and need no transaction of
 * their own), each is an INSERT into a view whose INSTEAD OF trigger does the work: a row per
 * budget line. A statement is atomic: when a trigger RAISEs (ABORT), every change the statement
 * made is undone, earlier lines included, so a reservation holds all of its lines or none. A
 * writing statement takes the write lock before it reads anything (SQLite's busy timeout
 * applies, as for BEGIN IMMEDIATE), so no other connection or process writes between its
 * check and its update: no interleaving overshoots a limit.
 *
 * The views and triggers are TEMP: they live on the connection that created them, not in the
 * file. So they need no migration, and processes of different Orkestra versions can share a
 * file: the rows they write are the same as the transaction of statements they replace.
 * The refusal's message is an expression (the line and its counter, for the error the caller
 * sees), which needs a recent SQLite: better-sqlite3 bundles its own (3.54 today).
 *
 * Measured by bench/budgets.ts (SQLite, concurrency 1; bench/RESULTS.md, "Budgets after the
 * SQLite reserve became one statement"): replacing a BEGIN IMMEDIATE transaction of four
 * statements for the reserve and two statements for the settle saved 130–200 µs CPU per call.
 * What is left is mostly SQLite's commit: the reserve's own, and the WAL pages both write.
 */

/** What a refusing reserve's error message starts with; a JSON object of the line follows. */
export const REFUSAL_MARKER = "orkestra budget refusal: ";

const DEFINITIONS: readonly ReturnType<typeof sql>[] = [
  // Reserve: one row per line. Creates the line's counter when missing, refuses (and so undoes
  // the whole statement) unless spent + reserved + amount < limit, then holds the amount.
  sql`create temp view if not exists budget_hold_requests
    (id, scope, period, amount_nanousd, created_at, expires_at, limit_nanousd)
    as select null, null, null, null, null, null, null where 0`,
  sql`create temp trigger if not exists budget_hold_request
    instead of insert on budget_hold_requests
    begin
      insert into budget_counters (scope, period, spent_nanousd, reserved_nanousd, updated_at)
      values (new.scope, new.period, 0, 0, new.created_at)
      on conflict (scope, period) do nothing;
      select raise(abort, ${sql.lit(REFUSAL_MARKER)} || json_object(
          'scope', c.scope, 'period', c.period,
          'spent', c.spent_nanousd, 'reserved', c.reserved_nanousd))
      from budget_counters c
      where c.scope = new.scope and c.period = new.period
        and c.spent_nanousd + c.reserved_nanousd + new.amount_nanousd >= new.limit_nanousd;
      update budget_counters
      set reserved_nanousd = reserved_nanousd + new.amount_nanousd, updated_at = new.created_at
      where scope = new.scope and period = new.period;
      insert into budget_reservations (id, scope, period, amount_nanousd, created_at, expires_at)
      values (new.id, new.scope, new.period, new.amount_nanousd, new.created_at, new.expires_at);
    end`,
  // Settle: one row per line. Gives back exactly the hold row it deletes (none when a
  // reclaimer already removed and gave it back) and adds the real cost to spent.
  sql`create temp view if not exists budget_settlements
    (id, scope, period, actual_nanousd, settled_at)
    as select null, null, null, null, null where 0`,
  sql`create temp trigger if not exists budget_settlement
    instead of insert on budget_settlements
    begin
      update budget_counters
      set reserved_nanousd = reserved_nanousd - coalesce((
          select r.amount_nanousd from budget_reservations r
          where r.id = new.id and r.scope = new.scope and r.period = new.period
        ), 0),
        spent_nanousd = spent_nanousd + new.actual_nanousd,
        updated_at = new.settled_at
      where scope = new.scope and period = new.period;
      delete from budget_reservations
      where id = new.id and scope = new.scope and period = new.period;
    end`,
  // Reclaim: one row per line. Gives back exactly the expired holds it deletes.
  sql`create temp view if not exists budget_reclaims (scope, period, reclaimed_at)
    as select null, null, null where 0`,
  sql`create temp trigger if not exists budget_reclaim
    instead of insert on budget_reclaims
    begin
      update budget_counters
      set reserved_nanousd = reserved_nanousd - (
        select coalesce(sum(r.amount_nanousd), 0) from budget_reservations r
        where r.scope = new.scope and r.period = new.period and r.expires_at < new.reclaimed_at
      )
      where scope = new.scope and period = new.period;
      delete from budget_reservations
      where scope = new.scope and period = new.period and expires_at < new.reclaimed_at;
    end`,
];

/** Stores whose connection has the views (a failed attempt is forgotten, to be tried again). */
const ready = new WeakMap<Store, Promise<void>>();

/** Creates the budget's views and triggers on the store's connection, once per store. */
export function budgetTriggerViews(store: Store): Promise<void> {
  let done = ready.get(store);
  if (done === undefined) {
    done = createViews(modelDb(store));
    ready.set(store, done);
    done.catch(() => ready.delete(store));
  }
  return done;
}

async function createViews(db: Kysely<ModelDatabase>): Promise<void> {
  for (const definition of DEFINITIONS) await definition.execute(db);
}

/** The line a reserve's trigger refused, as its counter was then; undefined for other errors. */
export function refusedLine(
  error: unknown,
): { scope: string; period: string; spent: number; reserved: number } | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const at = cause.message.indexOf(REFUSAL_MARKER);
    if (at < 0) continue;
    const line = JSON.parse(cause.message.slice(at + REFUSAL_MARKER.length)) as {
      scope: string;
      period: string;
      spent: number;
      reserved: number;
    };
    return line;
  }
  return undefined;
}
