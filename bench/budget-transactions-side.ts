import { randomUUID } from "node:crypto";
import pg from "pg";
import type { BenchSide } from "./bench-side.js";

/**
 * The same pool size as the store's PostgreSQL pool at the time of writing (pg's default, 10):
 * at concurrency 64 both sides queue for connections alike.
 */
const POOL_SIZE = 10;
const SCOPE = "global";
const PERIOD = "day:bench";
const AMOUNT_NANO_USD = 160_000;
const ACTUAL_NANO_USD = 20_000;
/** Far above what a run spends: no reservation is refused. */
const LIMIT_NANO_USD = 1e18;

/**
 * The floor a budgeted call on PostgreSQL can reach, measured with `pg` directly, no HTTP, no
 * ledger, no Kysely: per call one transaction that holds the amount on one counter row with a
 * conditional UPDATE (`spent + reserved + amount < limit`) and INSERTs the hold, then one that
 * settles it (DELETE the hold, UPDATE the counter). Tables of its own, shaped like the store's
 * `budget_counters` and `budget_reservations`, in the run's schema. This is a baseline of the
 * work a budget must do, not Orkestra code.
 */
export async function createBudgetTransactionsSide(postgres: {
  url: string;
  schema: string;
}): Promise<BenchSide> {
  const pool = new pg.Pool({
    connectionString: postgres.url,
    options: `-c search_path="${postgres.schema}"`,
    max: POOL_SIZE,
  });
  pool.on("error", () => {});
  await pool.query(`create schema if not exists "${postgres.schema}"`);
  await pool.query(
    `create table if not exists baseline_budget_counters (
       scope text not null, period text not null,
       spent_nanousd bigint not null default 0, reserved_nanousd bigint not null default 0,
       updated_at bigint not null, primary key (scope, period))`,
  );
  await pool.query(
    `create table if not exists baseline_budget_reservations (
       id text not null, scope text not null, period text not null,
       amount_nanousd bigint not null, created_at bigint not null, expires_at bigint not null,
       primary key (id, scope, period))`,
  );
  await pool.query(
    `insert into baseline_budget_counters (scope, period, updated_at) values ($1, $2, $3)
     on conflict do nothing`,
    [SCOPE, PERIOD, Date.now()],
  );

  async function transaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query("begin");
      await work(client);
      await client.query("commit");
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    async call() {
      const id = randomUUID();
      const at = Date.now();
      await transaction(async (client) => {
        const held = await client.query(
          `update baseline_budget_counters
             set reserved_nanousd = reserved_nanousd + $1, updated_at = $2
           where scope = $3 and period = $4 and spent_nanousd + reserved_nanousd + $1 < $5`,
          [AMOUNT_NANO_USD, at, SCOPE, PERIOD, LIMIT_NANO_USD],
        );
        if (held.rowCount !== 1) throw new Error("baseline: the reservation was refused");
        await client.query(
          `insert into baseline_budget_reservations
             (id, scope, period, amount_nanousd, created_at, expires_at)
           values ($1, $2, $3, $4, $5, $6)`,
          [id, SCOPE, PERIOD, AMOUNT_NANO_USD, at, at + 300_000],
        );
      });
      await transaction(async (client) => {
        await client.query("delete from baseline_budget_reservations where id = $1", [id]);
        await client.query(
          `update baseline_budget_counters
             set reserved_nanousd = reserved_nanousd - $1, spent_nanousd = spent_nanousd + $2,
                 updated_at = $3
           where scope = $4 and period = $5`,
          [AMOUNT_NANO_USD, ACTUAL_NANO_USD, Date.now(), SCOPE, PERIOD],
        );
      });
    },
    settle: async () => {},
    close: () => pool.end(),
  };
}
