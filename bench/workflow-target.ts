import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPostgresSchema, dropPostgresSchema } from "./postgres-schema.js";
import type { WorkflowTarget } from "./workflow-sides.js";

/** The PostgreSQL server the benchmarks use: the one the tests use, unless told otherwise. */
export function workflowPostgresUrl(): string {
  return (
    process.env.BENCH_POSTGRES_URL ??
    process.env.ORKESTRA_TEST_POSTGRES_URL ??
    "postgres://postgres@127.0.0.1:5432/test"
  );
}

/**
 * Fresh for every run: a directory for the SQLite files and, when asked, two empty PostgreSQL
 * schemas (Orkestra's, and `<schema>_langgraph` for the peer), dropped by `close`.
 */
export async function startWorkflowTarget(
  run: number,
  postgres: boolean,
): Promise<{ target: WorkflowTarget; close(): Promise<void> }> {
  const sqliteDirectory = await mkdtemp(join(tmpdir(), "orkestra-workflow-bench-"));
  const server = postgres
    ? { url: workflowPostgresUrl(), schema: `bench_workflow_${process.pid}_${run}` }
    : undefined;
  const schemas = server ? [server.schema, `${server.schema}_langgraph`] : [];
  for (const schema of schemas) await createPostgresSchema(server?.url ?? "", schema);
  return {
    target: { sqliteDirectory, ...(server ? { postgres: server } : {}) },
    async close() {
      for (const schema of schemas) await dropPostgresSchema(server?.url ?? "", schema);
      await rm(sqliteDirectory, { recursive: true, force: true });
    },
  };
}
