import type { Store } from "../../store/index.js";
import { engineDb } from "../store/engine-db.js";
import type { RunTable, StepAttemptTable } from "../store/engine-tables.js";
import {
  isTerminal,
  loadIterations,
  type RunStatus,
  requireRun,
  type StepStatus,
} from "../store/run-records.js";
import type { LoopStopReason, WorkflowDefinition } from "../workflow-definition.js";
import { committedState } from "./committed-state.js";
import { definitionHash } from "./definition-hash.js";

export interface StepSummary {
  id: string;
  status: StepStatus;
  /** Attempts in the step's latest iteration. */
  attempts: number;
  /** Wall time of those attempts, ms. */
  durationMs: number;
  /** Model spend of the step across the run, USD. */
  costUsd: number;
  model: string | null;
  iteration: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
}

/** A run as `orkestra run --json` and `orkestra show --json` print it. */
export interface RunSummary {
  success: boolean;
  runId: string;
  workflow: string;
  status: RunStatus;
  stopReason: LoopStopReason | null;
  /** Output of each step that succeeded in the last iteration. */
  outputs: Record<string, unknown>;
  state: Record<string, unknown>;
  costUsd: number;
  iterations: { iteration: number; score: number | null }[];
  steps: StepSummary[];
  error: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  parentRunId: string | null;
}

function errorMessage(json: string | null): string | null {
  if (json === null) return null;
  const parsed = JSON.parse(json) as { message?: unknown };
  return parsed.message === undefined ? null : String(parsed.message);
}

/**
 * Reads a run back from the store. With its definition, steps that never started are listed as
 * pending, and the state of a run that has not ended is the fold of what it has committed so
 * far (the state stored on the run row is written only when the run stops). A definition
 * other than the run's (another hash) is not used for the state.
 */
export async function getRun(
  store: Store,
  runId: string,
  definition?: WorkflowDefinition,
): Promise<RunSummary> {
  const run = await requireRun(store, runId);
  const attempts = await engineDb(store)
    .selectFrom("step_attempts")
    .selectAll()
    .where("run_id", "=", runId)
    .orderBy("iteration")
    .orderBy("attempt")
    .execute();
  return summarizeRun(run, attempts, await loadIterations(store, runId), definition);
}

/**
 * A run's summary from its rows: the run, its attempts ordered by iteration then attempt, its
 * ended iterations (see getRun).
 */
export function summarizeRun(
  run: RunTable,
  attempts: readonly StepAttemptTable[],
  iterations: readonly { iteration: number; score: number | null }[],
  definition?: WorkflowDefinition,
): RunSummary {
  const runId = run.id;
  const byStep = new Map<string, StepAttemptTable[]>();
  for (const id of definition?.steps.map((step) => step.id) ?? []) byStep.set(id, []);
  for (const attempt of attempts) {
    const list = byStep.get(attempt.step_id) ?? [];
    list.push(attempt);
    byStep.set(attempt.step_id, list);
  }
  const lastIteration = Number(run.iteration);
  const outputs: Record<string, unknown> = {};
  const steps: StepSummary[] = [];
  for (const [id, list] of byStep) {
    const latest = list.at(-1);
    const iteration = latest ? Number(latest.iteration) : lastIteration;
    const current = list.filter((attempt) => Number(attempt.iteration) === iteration);
    if (
      latest?.status === "succeeded" &&
      iteration === lastIteration &&
      latest.output_json !== null
    ) {
      outputs[id] = JSON.parse(latest.output_json);
    }
    const started = current[0]?.started_at;
    const finished = latest?.finished_at ?? null;
    steps.push({
      id,
      status: (latest?.status ?? "pending") as StepStatus,
      attempts: current.length,
      durationMs: current.reduce(
        (total, attempt) =>
          total +
          (attempt.finished_at === null
            ? 0
            : Number(attempt.finished_at) - Number(attempt.started_at)),
        0,
      ),
      costUsd: list.reduce((total, attempt) => total + Number(attempt.cost_usd), 0),
      model: [...list].reverse().find((attempt) => attempt.model !== null)?.model ?? null,
      iteration,
      startedAt: started === undefined ? null : Number(started),
      finishedAt: finished === null ? null : Number(finished),
      error: latest && latest.status !== "succeeded" ? errorMessage(latest.error_json) : null,
    });
  }
  const status = run.status as RunStatus;
  const stored =
    run.state_json === null ? {} : (JSON.parse(run.state_json) as Record<string, unknown>);
  const foldable =
    definition !== undefined &&
    !(isTerminal(status) && run.state_json !== null) &&
    definitionHash(definition) === run.definition_hash;
  return {
    success: status === "succeeded",
    runId,
    workflow: run.workflow,
    status,
    stopReason: run.stop_reason as LoopStopReason | null,
    outputs,
    state: foldable ? committedState(definition, attempts, lastIteration) : stored,
    costUsd: Number(run.cost_usd),
    iterations: iterations.map(({ iteration, score }) => ({ iteration, score })),
    steps,
    error: errorMessage(run.error_json),
    createdAt: Number(run.created_at),
    startedAt: run.started_at === null ? null : Number(run.started_at),
    finishedAt: run.finished_at === null ? null : Number(run.finished_at),
    parentRunId: run.parent_run_id,
  };
}
