import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SideTarget } from "./bench-sides.js";
import { createPostgresSchema, dropPostgresSchema } from "./postgres-schema.js";
import { type ServerProcess, startServerProcess } from "./server-process.js";

/** What one run's sides share: a fake provider process, a SQLite file, a PostgreSQL schema. */
export interface RunTarget {
  target: SideTarget;
  server: ServerProcess;
  close(): Promise<void>;
}

export interface RunTargetOptions {
  /** Also a fresh PostgreSQL schema (BENCH_POSTGRES_URL). @defaultValue false */
  postgres?: boolean;
  /** Latency of the fake provider's replies, ms. @defaultValue 0 */
  delayMs?: number;
}

/** The PostgreSQL server the benchmarks use: the one the tests use, unless told otherwise. */
export function benchPostgresUrl(): string {
  return (
    process.env.BENCH_POSTGRES_URL ??
    process.env.ORKESTRA_TEST_POSTGRES_URL ??
    "postgres://postgres@127.0.0.1:5432/test"
  );
}

/** Fresh for every run, so no run inherits another's rows, connections or server state. */
export async function startRunTarget(
  run: number,
  options: RunTargetOptions = {},
): Promise<RunTarget> {
  const directory = await mkdtemp(join(tmpdir(), "orkestra-bench-"));
  const server = await startServerProcess({ delayMs: options.delayMs ?? 0 });
  const postgres = options.postgres
    ? { url: benchPostgresUrl(), schema: `bench_${process.pid}_${run}` }
    : undefined;
  if (postgres) await createPostgresSchema(postgres.url, postgres.schema);
  return {
    target: {
      baseURL: server.baseURL,
      sqliteUrl: `sqlite:${join(directory, "store.db")}`,
      ...(postgres ? { postgres } : {}),
    },
    server,
    async close() {
      await server.close();
      if (postgres) await dropPostgresSchema(postgres.url, postgres.schema);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
