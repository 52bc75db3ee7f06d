import type { Store } from "../../store/index.js";
import { resolveInputs } from "../definition/resolve-inputs.js";
import type { ChildOutcome } from "../steps/step-runner.js";
import { engineDb } from "../store/engine-db.js";
import type { EngineTables } from "../store/engine-tables.js";
import {
  findChildRun,
  isTerminal,
  type RunStatus,
  requireRun,
  TERMINAL_RUN_STATUSES,
} from "../store/run-records.js";
import type { WorkflowDefinition } from "../workflow-definition.js";
import { WorkflowError } from "../workflow-error.js";
import { newRunRow } from "./create-run.js";
import { definitionHash } from "./definition-hash.js";
import { RunDriver } from "./run-driver.js";
import { RunEmitter } from "./run-events.js";
import { defaultLeaseOwner, RUN_LEASE_TTL_MS, releaseRunLease, takeRunLease } from "./run-lease.js";
import type { DriveOptions, StartRunOptions } from "./run-options.js";
import { getRun, type RunSummary } from "./run-summary.js";

/** A run being driven in this process. */
export interface RunHandle {
  runId: string;
  events: RunEmitter;
  /** Settles when the run ends, pauses or waits (without waitForApprovals). */
  done: Promise<RunSummary>;
}

async function drive(
  definition: WorkflowDefinition,
  runId: string,
  options: DriveOptions,
  resumed: boolean,
): Promise<RunHandle> {
  const events = options.events ?? new RunEmitter();
  const claim = await takeRunLease(options.store, runId, options.owner ?? defaultLeaseOwner(), {
    now: Date.now(),
    ttlMs: options.leaseTtlMs ?? RUN_LEASE_TTL_MS,
    ...(options.takeOver ? { takeOver: true } : {}),
  });
  const run = await requireRun(options.store, runId);
  const driver = new RunDriver(definition, run, claim, { ...options, events }, runChildWorkflow);
  try {
    await driver.load();
  } catch (error) {
    await releaseRunLease(options.store, claim).catch(() => {});
    throw error;
  }
  const done = driver.drive(resumed).then(() => getRun(options.store, runId, definition));
  return { runId, events, done };
}

/**
 * Creates a run of `definition` (inputs checked first: bad input never leaves a run behind)
 * and starts driving it in this process. The run is inserted already claimed by this process
 * (`running`, fencing token 1, its lease), in one transaction with the claims of its first
 * steps; once that is durable the handle is returned. Subscribe to `events` on the handle, or
 * pass `options.events` to see `run:start` too.
 */
export async function startRun(
  definition: WorkflowDefinition,
  options: StartRunOptions,
): Promise<RunHandle> {
  const inputs = resolveInputs(definition, options.inputs ?? {});
  const now = Date.now();
  const owner = options.owner ?? defaultLeaseOwner();
  const run = newRunRow(definition, inputs, {
    now,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    lease: { owner, expiresAt: now + (options.leaseTtlMs ?? RUN_LEASE_TTL_MS) },
    ...(options.parent ? { parent: options.parent } : {}),
  });
  const runId = run.id;
  const events = options.events ?? new RunEmitter();
  const claim = { runId, owner, token: 1 };
  const driver = new RunDriver(
    definition,
    run,
    claim,
    { ...options, events },
    runChildWorkflow,
    true,
  );
  await driver.create();
  // Nothing to read back: the summary comes from what the driver wrote, unless someone else
  // wrote the run too (a cancel, a person's decision).
  const done = driver
    .drive(false)
    .then(() => driver.summary() ?? getRun(options.store, runId, definition));
  return { runId, events, done };
}

/** Starts a run and waits for it to end (or pause, or wait for a person). */
export async function runWorkflow(
  definition: WorkflowDefinition,
  options: StartRunOptions,
): Promise<RunSummary> {
  return (await startRun(definition, options)).done;
}

export interface ResumeRunOptions extends DriveOptions {
  /** The run's workflow; it must be the one the run started with (same steps, order, channels). */
  definition: WorkflowDefinition;
}

/**
 * Continues a run whose process died, that was paused, or that waits for an approval. Only
 * steps without a committed result run again: a step that had started but not committed runs
 * once more (at-least-once execution, exactly-once commit). A run whose lease another live
 * process holds is refused (`workflow.lease_held`) unless `takeOver` is set.
 */
export async function startResume(runId: string, options: ResumeRunOptions): Promise<RunHandle> {
  const run = await requireRun(options.store, runId);
  if (run.definition_hash !== definitionHash(options.definition)) {
    throw new WorkflowError(
      `run ${runId} was started from a different version of ${run.workflow} (${run.source}): its steps, order or state channels changed`,
      {
        code: "workflow.changed",
        hint: "Resume it with the workflow it started with, or start a new run.",
      },
    );
  }
  return drive(options.definition, runId, options, true);
}

export async function resumeRun(runId: string, options: ResumeRunOptions): Promise<RunSummary> {
  return (await startResume(runId, options)).done;
}

export interface CancelRunOptions {
  /** For the audit trail. @defaultValue "library" */
  actor?: string;
  reason?: string;
}

/**
 * Cancels a run that has not ended. The process driving it sees the cancel within its poll
 * interval (250 ms) and aborts the steps in flight. Returns the status the run had.
 */
export async function cancelRun(
  store: Store,
  runId: string,
  options: CancelRunOptions = {},
): Promise<RunStatus> {
  const run = await requireRun(store, runId);
  if (isTerminal(run.status)) {
    throw new WorkflowError(`run ${runId} has already ended (${run.status})`, {
      code: "workflow.state",
    });
  }
  const updated = await engineDb(store)
    .updateTable("runs")
    .set({ status: "cancelled", finished_at: Date.now() })
    .where("id", "=", runId)
    .where("status", "not in", [...TERMINAL_RUN_STATUSES])
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    throw new WorkflowError(`run ${runId} ended before it could be cancelled`, {
      code: "workflow.state",
    });
  }
  await store.audit.append({
    actor: options.actor ?? "library",
    action: "run:cancel",
    resource: `run:${runId}`,
    outcome: "cancelled",
    data: { previous: run.status, reason: options.reason ?? null },
  });
  return run.status as RunStatus;
}

export interface RunListEntry {
  id: string;
  workflow: string;
  status: RunStatus;
  startedAt: number | null;
  finishedAt: number | null;
  costUsd: number;
}

/** Runs, newest first (sub-workflow runs included). */
export async function listRuns(
  store: Store,
  options: { status?: RunStatus; limit?: number } = {},
): Promise<RunListEntry[]> {
  let query = engineDb(store)
    .selectFrom("runs")
    .select(["id", "workflow", "status", "started_at", "finished_at", "cost_usd"])
    .orderBy("created_at", "desc")
    .limit(options.limit ?? 50);
  if (options.status) query = query.where("status", "=", options.status);
  return (await query.execute()).map((row) => ({
    id: row.id,
    workflow: row.workflow,
    status: row.status as RunStatus,
    startedAt: row.started_at === null ? null : Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    costUsd: Number(row.cost_usd),
  }));
}

/** How many runs have each of `statuses` (sub-workflow runs included): one count, not a listing. */
export async function countRuns<Status extends RunStatus>(
  store: Store,
  statuses: readonly Status[],
): Promise<Record<Status, number>> {
  const counts = Object.fromEntries(statuses.map((status) => [status, 0])) as Record<
    Status,
    number
  >;
  if (statuses.length === 0) return counts;
  const rows = await engineDb(store)
    .selectFrom("runs")
    .select(["status", (eb) => eb.fn.countAll<number | string | bigint>().as("count")])
    .where("status", "in", [...statuses])
    .groupBy("status")
    .execute();
  for (const row of rows) counts[row.status as Status] = Number(row.count);
  return counts;
}

/** Deletes ended runs that finished before `before` (epoch ms), with their attempts, scores and approvals. */
export async function gcRuns(store: Store, before: number): Promise<number> {
  return store.transaction(async (plain) => {
    const trx = plain.withTables<EngineTables>();
    const old = await trx
      .selectFrom("runs")
      .select("id")
      .where("status", "in", [...TERMINAL_RUN_STATUSES])
      .where("finished_at", "<", before)
      .execute();
    const ids = old.map((row) => row.id);
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      await trx.deleteFrom("step_attempts").where("run_id", "in", chunk).execute();
      await trx.deleteFrom("run_iterations").where("run_id", "in", chunk).execute();
      await trx.deleteFrom("approvals").where("run_id", "in", chunk).execute();
      await trx.deleteFrom("runs").where("id", "in", chunk).execute();
    }
    return ids.length;
  });
}

/**
 * The workflow file a run was started from, for a resume from the command line. A run started
 * from a builder in a program has no file: it is resumed by that program (resumeRun).
 */
export async function requireRunSource(store: Store, runId: string): Promise<string> {
  const run = await requireRun(store, runId);
  if (run.source.startsWith("builder:")) {
    throw new WorkflowError(
      `run ${runId} was started by a program (${run.source}), not from a file`,
      {
        code: "workflow.input",
        hint: "Resume it from that program with resumeRun(runId, { definition, store }).",
      },
    );
  }
  return run.source;
}

/**
 * The workflow file of a run that has not ended, so that `orkestra show` can fold its state
 * from what it has committed; undefined for an ended run or one started by a program.
 */
export async function liveRunSource(store: Store, runId: string): Promise<string | undefined> {
  const run = await requireRun(store, runId);
  if (isTerminal(run.status) || run.source.startsWith("builder:")) return undefined;
  return run.source;
}

/**
 * Runs a sub-workflow as a child run. A child that a crashed attempt left unfinished is
 * resumed rather than started again; a failed or cancelled one is replaced by a new run.
 */
export async function runChildWorkflow(
  definition: WorkflowDefinition,
  inputs: Record<string, unknown>,
  parent: { runId: string; step: string },
  options: DriveOptions,
): Promise<ChildOutcome> {
  const existing = await findChildRun(options.store, parent.runId, parent.step);
  let summary: RunSummary;
  if (existing && existing.status === "succeeded") {
    summary = await getRun(options.store, existing.id);
  } else if (existing && !["failed", "cancelled"].includes(existing.status)) {
    summary = await resumeRun(existing.id, { ...options, definition, waitForApprovals: true });
  } else {
    summary = await runWorkflow(definition, { ...options, inputs, parent, waitForApprovals: true });
  }
  return {
    runId: summary.runId,
    status: summary.status,
    state: summary.state,
    outputs: summary.outputs,
    costUsd: summary.costUsd,
    ...(summary.error === null ? {} : { error: summary.error }),
  };
}
