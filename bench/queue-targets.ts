import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropPostgresSchema } from "./postgres-schema.js";
import type { QueueTarget } from "./queue-side.js";

/** The PostgreSQL server the benchmarks use: the one the tests use, unless told otherwise. */
export function queuePostgresUrl(): string {
  return (
    process.env.BENCH_POSTGRES_URL ??
    process.env.ORKESTRA_TEST_POSTGRES_URL ??
    "postgres://postgres@127.0.0.1:5432/test"
  );
}

/**
 * A schema name PostgreSQL takes unquoted (lower case, digits, underscores), short enough that
 * the libraries' prepared-statement names built from it (graphile-worker's
 * `clear_stale_locksN/<schema>`) stay within PostgreSQL's 63 characters: at most 44.
 */
export function queueSchemaName(side: string, run: number, measurement: number): string {
  const slug = side
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 24);
  return `bq_${process.pid}_${run}_${measurement}_${slug}`.slice(0, 44);
}

/**
 * Fresh for one measurement of one side: a PostgreSQL schema that does not exist yet (the
 * libraries create their own; one left by a crashed run is dropped first), or a SQLite file in
 * a new directory. `drop` removes it.
 */
export async function freshQueueTarget(
  store: "postgres" | "sqlite",
  schema: string,
): Promise<{ target: QueueTarget; drop(): Promise<void> }> {
  if (store === "sqlite") {
    const directory = await mkdtemp(join(tmpdir(), "orkestra-queue-bench-"));
    return {
      target: { store, file: join(directory, "queue.db") },
      drop: () => rm(directory, { recursive: true, force: true }),
    };
  }
  const url = queuePostgresUrl();
  await dropPostgresSchema(url, schema);
  return { target: { store, url, schema }, drop: () => dropPostgresSchema(url, schema) };
}
