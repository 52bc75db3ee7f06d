import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe } from "vitest";
import { type ModelCallTable, modelDb } from "../../src/models/index.js";
import { registerWorker, type WorkerRegistration } from "../../src/queue/worker/worker-registry.js";
import type { Store, StoreDialect } from "../../src/store/index.js";
import { openOrkestraStore } from "../../src/store-schema.js";
import {
  assertPostgresReachable,
  createTestDatabase,
  type TestDatabase,
  testStoreDialects,
} from "../helpers/stores.js";
import {
  type CliRun,
  makeWorkspace,
  parseJson,
  runInProcess,
  type Workspace,
} from "./cli-harness.js";

/**
 * The queue commands against every backend in `STORES`: each test gets a workspace with its
 * own `orkestra.yaml` and a fresh database (a SQLite file or a PostgreSQL schema) that the CLI
 * reaches through ORKESTRA_STORE, and a store of its own on the same database to set up rows
 * and count what the CLI wrote.
 */
export interface CliStoreFixture {
  readonly dialect: StoreDialect;
  readonly dir: string;
  /** Runs `orkestra …` in this process against the test's database. */
  run(args: readonly string[], env?: Record<string, string>): Promise<CliRun>;
  /** Runs with --json and parses stdout as one document. */
  json(args: readonly string[]): Promise<Record<string, unknown>>;
  /** The test's own store on the same database. */
  store(): Promise<Store>;
  writeFile(name: string, text: string): Promise<string>;
}

/** A minimal configuration with two agents on the simulated model. */
export const AGENTS_CONFIG = {
  models: { sim: { provider: "simulated", latencyMs: 1 } },
  agents: {
    coder: { model: "sim", capabilities: ["code", "tests"], maxConcurrent: 1 },
    architect: { model: "sim", capabilities: ["design", "review"], specialties: ["parser"] },
  },
};

export function describeCliStores(
  title: string,
  config: Record<string, unknown>,
  define: (fixture: CliStoreFixture) => void,
): void {
  for (const dialect of testStoreDialects()) {
    describe(`${title} [${dialect}]`, () => {
      let database: TestDatabase | undefined;
      let workspace: Workspace | undefined;
      let opened: Promise<Store> | undefined;
      if (dialect === "postgres") beforeAll(assertPostgresReachable);
      beforeEach(async () => {
        database = await createTestDatabase(dialect);
        workspace = await makeWorkspace(config);
      });
      afterEach(async () => {
        const store = opened;
        opened = undefined;
        if (store) await (await store).close();
        await workspace?.remove();
        await database?.drop();
      });
      const current = () => {
        if (!database || !workspace) throw new Error("only inside a test");
        return { database, workspace };
      };
      const run = (args: readonly string[], env: Record<string, string> = {}) =>
        runInProcess(args, {
          cwd: current().workspace.dir,
          env: { ORKESTRA_STORE: current().database.url, ...env },
        });
      define({
        dialect,
        get dir() {
          return current().workspace.dir;
        },
        run,
        json: async (args) => parseJson(await run(["--json", ...args])),
        store: () => {
          opened ??= openOrkestraStore(current().database.url);
          return opened;
        },
        writeFile: async (name, text) => {
          await writeFile(join(current().workspace.dir, name), text);
          return name;
        },
      });
    });
  }
}

/** How many tasks the store holds: what a refused `task add` must leave at 0. */
export async function taskCount(store: Store): Promise<number> {
  const row = await store.db
    .withTables<{ tasks: { id: string } }>()
    .selectFrom("tasks")
    .select((expression) => expression.fn.countAll<number>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Ids of `task add --json`'s tasks, in order. */
export function addedIds(document: Record<string, unknown>): string[] {
  return (document.tasks as { id: string }[]).map((task) => task.id);
}

type Call = Partial<ModelCallTable> & Pick<ModelCallTable, "alias">;

/** Ledger rows, as the gateway writes them, `msAgo` before now. */
export async function insertModelCalls(store: Store, calls: readonly Call[]): Promise<void> {
  const now = Date.now();
  await modelDb(store)
    .insertInto("model_calls")
    .values(
      calls.map((call, index) => ({
        id: randomUUID(),
        created_at: now - 5_000 + index,
        provider: "simulated",
        model: "simulated",
        outcome: "success",
        error_kind: null,
        input_tokens: 0,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        output_tokens: 0,
        reasoning_tokens: 0,
        cost_usd: 0,
        latency_ms: 100,
        attempts: 1,
        simulated: 1,
        streamed: 0,
        run_id: null,
        task_id: null,
        step_id: null,
        ...call,
      })),
    )
    .execute();
}

/** Five server errors in a row, just now: the agent on `alias` is failing (ledger breaker open). */
export function failingCalls(alias: string): Call[] {
  return Array.from({ length: 5 }, () => ({
    alias,
    outcome: "error",
    error_kind: "server",
  }));
}

/** A worker row as a live `orkestra worker` would register it. */
export async function addWorker(
  store: Store,
  registration: Partial<WorkerRegistration> & { id: string },
): Promise<void> {
  await registerWorker(store, {
    host: "build-1",
    pid: 4242,
    queues: ["default"],
    concurrency: 4,
    heartbeatMs: 60_000,
    ...registration,
  });
}
