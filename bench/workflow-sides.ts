import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import type { EngineTables } from "../src/engine/index.js";
import { groupCommitterFor } from "../src/engine/run/group-commit.js";
import { timeOrderedId } from "../src/engine/run/time-ordered-id.js";
import {
  openOrkestraStore,
  runWorkflow,
  type Store,
  type WorkflowDefinition,
  workflow,
} from "../src/index.js";
import type { StoreQueries, WorkflowSide } from "./workflow-side.js";

/** Where a side points: the run's SQLite directory and PostgreSQL schema. */
export interface WorkflowTarget {
  /** A directory of its own for the run; each side gets its own file in it. */
  sqliteDirectory: string;
  postgres?: { url: string; schema: string };
}

/** What each side is, in the words the tables use. */
export const WORKFLOW_SIDE_LABELS = {
  "orkestra:sqlite":
    "Orkestra runWorkflow(), 3 code steps in sequence, SQLite store (WAL, synchronous=NORMAL)",
  "orkestra:postgres": "Orkestra runWorkflow(), 3 code steps in sequence, PostgreSQL store",
  "langgraph:sqlite":
    "LangGraph.js StateGraph a→b→c, SqliteSaver on a file (WAL), durability: sync",
  "langgraph:postgres": "LangGraph.js StateGraph a→b→c, PostgresSaver, durability: sync",
  "orkestra-steps:sqlite": "Orkestra: one run of STEPS no-op code steps in sequence, SQLite",
  "orkestra-steps:postgres": "Orkestra: one run of STEPS no-op code steps in sequence, PostgreSQL",
  "hand-commit:sqlite":
    "by hand, no engine: the engine's rows, one transaction per step (update run, update attempt, insert the next claim) with Kysely's builder, SQLite",
  "hand-commit:postgres":
    "by hand, no engine: the same rows and transactions with Kysely's builder, PostgreSQL (the engine writes each as one statement there)",
  "direct-call": "the step function called directly: no engine, no store",
} as const;
export type WorkflowSideName = keyof typeof WORKFLOW_SIDE_LABELS;
export const WORKFLOW_SIDE_NAMES = Object.keys(WORKFLOW_SIDE_LABELS) as WorkflowSideName[];

/** Steps per run of the per-step sides: enough that the run's own rows weigh little per step. */
export const STEPS_PER_RUN = 50;

const PEERS_DIRECTORY = fileURLToPath(new URL("./peers/", import.meta.url));
const PEERS_SENTINEL = fileURLToPath(
  new URL("./peers/node_modules/@langchain/langgraph/package.json", import.meta.url),
);

/** Why the peer sides cannot run, or undefined when they can. */
export function missingPeers(): string | undefined {
  if (existsSync(PEERS_SENTINEL)) return undefined;
  return (
    `the LangGraph.js peers are not installed in ${PEERS_DIRECTORY}node_modules; install them ` +
    "(from the repository root, with the project's Node): " +
    "PATH=$PWD/node_modules/.bin:$PATH npm --prefix bench/peers install"
  );
}

export function isPeerSide(name: string): boolean {
  return name.startsWith("langgraph:");
}

async function noOp(): Promise<null> {
  return null;
}

function chain(name: string, steps: number): WorkflowDefinition {
  let builder = workflow(name).step("s1", { run: noOp });
  for (let index = 2; index <= steps; index += 1) {
    builder = builder.step(`s${index}`, { needs: [`s${index - 1}`], run: noOp });
  }
  return builder.build();
}

function orkestraSide(
  { store, queries }: CountedStore,
  definition: WorkflowDefinition,
  units: number,
): WorkflowSide {
  return {
    queries,
    async runOnce() {
      const summary = await runWorkflow(definition, { store });
      if (summary.status !== "succeeded") {
        throw new Error(`run ${summary.runId} ended ${summary.status}: ${summary.error ?? ""}`);
      }
      return units;
    },
    close: () => store.close(),
  };
}

/**
 * The rows the engine writes for a run of `steps` steps, written by hand with the store's
 * Kysely query builder, one run at a time and without the engine: the run row with its first
 * step's claim in one transaction, then per step one transaction — the run's fenced advance,
 * the attempt's result, the next step's claim (the last step: the run's end, its iteration
 * and the lease given up instead). Ids are time-ordered, like the engine's. No scheduling,
 * group commit, hashing, events or state.
 */
function handCommitSide({ store, queries }: CountedStore, steps: number): WorkflowSide {
  return {
    queries,
    async runOnce() {
      const runId = timeOrderedId();
      const now = Date.now();
      const claim = (step: number, id: string) => ({
        id,
        run_id: runId,
        step_id: `s${step}`,
        iteration: 0,
        attempt: 1,
        status: "running",
        started_at: Date.now(),
        input_tokens: 0,
        output_tokens: 0,
        cost_usd: 0,
        lease_owner: "bench",
        fencing_token: 1,
      });
      let attemptId = timeOrderedId();
      await store.transaction(async (plain) => {
        const trx = plain.withTables<EngineTables>();
        await trx
          .insertInto("runs")
          .values({
            id: runId,
            workflow: "hand-commit",
            definition_hash: "",
            source: "builder:hand-commit",
            inputs_json: "{}",
            status: "running",
            iteration: 0,
            stop_reason: null,
            budget_usd: null,
            deadline_at: null,
            concurrency: 1,
            cost_usd: 0,
            commit_count: 0,
            state_hash: "",
            lease_owner: "bench",
            fencing_token: 1,
            lease_expires_at: now + 10_000,
            parent_run_id: null,
            parent_step: null,
            created_at: now,
            started_at: now,
            finished_at: null,
            state_json: null,
            error_json: null,
          })
          .execute();
        await trx.insertInto("step_attempts").values(claim(1, attemptId)).execute();
      });
      for (let step = 1; step <= steps; step += 1) {
        await noOp();
        const last = step === steps;
        const nextId = timeOrderedId();
        await store.transaction(async (plain) => {
          const trx = plain.withTables<EngineTables>();
          const advanced = await trx
            .updateTable("runs")
            .set({
              commit_count: step,
              state_hash: attemptId,
              cost_usd: sql`cost_usd + 0`,
              ...(last
                ? {
                    status: "succeeded",
                    stop_reason: "no_loop",
                    state_json: "{}",
                    finished_at: Date.now(),
                    lease_owner: null,
                    lease_expires_at: null,
                  }
                : {}),
            })
            .where("id", "=", runId)
            .where("fencing_token", "=", 1)
            .where("commit_count", "=", step - 1)
            .executeTakeFirstOrThrow();
          if (Number(advanced.numUpdatedRows) !== 1) throw new Error("fenced");
          await trx
            .updateTable("step_attempts")
            .set({
              status: "succeeded",
              output_json: "null",
              finished_at: Date.now(),
              commit_seq: step,
              chain_hash: attemptId,
            })
            .where("id", "=", attemptId)
            .execute();
          if (last) {
            await trx
              .insertInto("run_iterations")
              .values({ run_id: runId, iteration: 0, score: null, finished_at: Date.now() })
              .execute();
          } else {
            await trx
              .insertInto("step_attempts")
              .values(claim(step + 1, nextId))
              .execute();
          }
        });
        attemptId = nextId;
      }
      return steps;
    },
    close: () => store.close(),
  };
}

function directCallSide(steps: number): WorkflowSide {
  return {
    async runOnce() {
      for (let step = 0; step < steps; step += 1) await noOp();
      return steps;
    },
    close: async () => {},
  };
}

function postgresStoreUrl(target: WorkflowTarget): string {
  if (!target.postgres) throw new Error("a PostgreSQL side needs target.postgres");
  const url = new URL(target.postgres.url);
  url.searchParams.set("schema", target.postgres.schema);
  return url.toString();
}

/** A side's store with the count of the statements it ran. */
interface CountedStore {
  store: Store;
  queries: StoreQueries;
}

async function openSideStore(
  name: WorkflowSideName,
  target: WorkflowTarget,
): Promise<CountedStore> {
  const file = `${target.sqliteDirectory}/${name.replace(/[^a-z]+/g, "-")}.db`;
  const url = name.endsWith(":postgres") ? postgresStoreUrl(target) : `sqlite:${file}`;
  let statements = 0;
  const store = await openOrkestraStore(url, {
    onQuery: () => {
      statements += 1;
    },
  });
  // The engine's writes: each batch one transaction (SQLite) or one statement (PostgreSQL).
  const { stats } = groupCommitterFor(store);
  const queries: StoreQueries = {
    get statements() {
      return statements;
    },
    get batches() {
      return stats.batches;
    },
    get writes() {
      return stats.writes;
    },
  };
  return { store, queries };
}

async function langGraphSide(
  name: "langgraph:sqlite" | "langgraph:postgres",
  target: WorkflowTarget,
): Promise<WorkflowSide> {
  const why = missingPeers();
  if (why) throw new Error(why);
  const peers = await import("./peers/langgraph-sides.mjs");
  if (name === "langgraph:sqlite") {
    return peers.langGraphSqliteSide(`${target.sqliteDirectory}/langgraph.db`);
  }
  if (!target.postgres) throw new Error("a PostgreSQL side needs target.postgres");
  // Its own schema beside Orkestra's, so neither sees the other's tables.
  return peers.langGraphPostgresSide(target.postgres.url, `${target.postgres.schema}_langgraph`);
}

export async function createWorkflowSide(
  name: WorkflowSideName,
  target: WorkflowTarget,
): Promise<WorkflowSide> {
  switch (name) {
    case "orkestra:sqlite":
    case "orkestra:postgres":
      return orkestraSide(await openSideStore(name, target), chain("noop-3", 3), 1);
    case "orkestra-steps:sqlite":
    case "orkestra-steps:postgres":
      return orkestraSide(
        await openSideStore(name, target),
        chain(`noop-${STEPS_PER_RUN}`, STEPS_PER_RUN),
        STEPS_PER_RUN,
      );
    case "hand-commit:sqlite":
    case "hand-commit:postgres":
      return handCommitSide(await openSideStore(name, target), STEPS_PER_RUN);
    case "direct-call":
      return directCallSide(STEPS_PER_RUN);
    case "langgraph:sqlite":
    case "langgraph:postgres":
      return langGraphSide(name, target);
  }
}

/** Side names from a comma list (BENCH_SIDES), or `fallback` when unset. */
export function workflowSidesFrom(
  list: string | undefined,
  fallback: readonly WorkflowSideName[],
): WorkflowSideName[] {
  if (list === undefined || list.trim() === "") return [...fallback];
  const names = list.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!(WORKFLOW_SIDE_NAMES as readonly string[]).includes(name)) {
      throw new Error(
        `unknown side "${name}" in BENCH_SIDES; known: ${WORKFLOW_SIDE_NAMES.join(", ")}`,
      );
    }
  }
  return names as WorkflowSideName[];
}
