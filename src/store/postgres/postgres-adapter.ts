import { type Kysely, PostgresAdapter, sql } from "kysely";

/** First key of our advisory locks, so they cannot collide with other applications' locks. */
const ORKESTRA_LOCK_SPACE = 0x6f726b; // "ork"

/**
 * Kysely's PostgreSQL adapter takes one session advisory lock per database for migrations.
 * We key it by schema as well, so stores in separate schemas of one database (tests, several
 * installations) migrate independently, while processes opening the same schema queue up:
 * the second waits for the lock, then reads the migration table and finds nothing to do.
 */
export class PostgresStoreAdapter extends PostgresAdapter {
  readonly #schema: string;

  constructor(schema: string) {
    super();
    this.#schema = schema;
  }

  override async acquireMigrationLock(db: Kysely<unknown>): Promise<void> {
    await sql`select pg_advisory_lock(${sql.lit(ORKESTRA_LOCK_SPACE)}, hashtext(${this.#schema}))`.execute(
      db,
    );
  }

  override async releaseMigrationLock(db: Kysely<unknown>): Promise<void> {
    await sql`select pg_advisory_unlock(${sql.lit(ORKESTRA_LOCK_SPACE)}, hashtext(${this.#schema}))`.execute(
      db,
    );
  }
}
