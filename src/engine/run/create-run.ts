import type { Kysely } from "kysely";
import type { Database } from "../../store/index.js";
import { resolveInputs } from "../definition/resolve-inputs.js";
import type { EngineTables, RunTable } from "../store/engine-tables.js";
import type { WorkflowDefinition } from "../workflow-definition.js";
import { definitionHash } from "./definition-hash.js";
import { EMPTY_CHAIN } from "./integrity-chain.js";
import { timeOrderedId } from "./time-ordered-id.js";

export interface CreateQueuedRunOptions {
  inputs?: Readonly<Record<string, unknown>>;
  /** Ready steps at once. @defaultValue the definition's, else 4 */
  concurrency?: number;
  /** @defaultValue Date.now() */
  now?: number;
}

/**
 * Creates a run of `definition` that nobody drives yet: status `queued`, no lease. Its inputs
 * are checked first (a WorkflowInputError leaves nothing behind). `executor` is the store's
 * connection or a transaction of it, so the run can commit with the task that will drive it.
 * `startResume` drives it later, in this process or any other. Returns the run's id.
 */
export async function createQueuedRun(
  executor: Kysely<Database>,
  definition: WorkflowDefinition,
  options: CreateQueuedRunOptions = {},
): Promise<string> {
  const inputs = resolveInputs(definition, options.inputs ?? {});
  const now = options.now ?? Date.now();
  const row = newRunRow(definition, inputs, {
    now,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
  await executor.withTables<EngineTables>().insertInto("runs").values(row).execute();
  return row.id;
}

/** Who drives a run from its start: the lease it is inserted with. */
export interface StartingLease {
  owner: string;
  expiresAt: number;
}

/**
 * The row of a new run of `definition` with checked `inputs`: `queued` and unleased, or, given
 * a `lease`, already `running` under it (fencing token 1) — a run started in this process.
 */
export function newRunRow(
  definition: WorkflowDefinition,
  inputs: Record<string, unknown>,
  options: {
    now: number;
    concurrency?: number;
    lease?: StartingLease;
    parent?: { runId: string; step: string };
  },
): RunTable {
  const { now, lease, parent } = options;
  return {
    id: timeOrderedId(now),
    workflow: definition.name,
    definition_hash: definitionHash(definition),
    source: definition.source,
    inputs_json: JSON.stringify(inputs),
    status: lease ? "running" : "queued",
    iteration: 0,
    stop_reason: null,
    budget_usd: definition.budgetUsd ?? null,
    deadline_at: definition.deadlineMs === undefined ? null : now + definition.deadlineMs,
    concurrency: options.concurrency ?? definition.concurrency ?? 4,
    cost_usd: 0,
    commit_count: 0,
    state_hash: EMPTY_CHAIN,
    lease_owner: lease?.owner ?? null,
    fencing_token: lease ? 1 : 0,
    lease_expires_at: lease?.expiresAt ?? null,
    parent_run_id: parent?.runId ?? null,
    parent_step: parent?.step ?? null,
    created_at: now,
    started_at: lease ? now : null,
    finished_at: null,
    state_json: null,
    error_json: null,
  };
}
