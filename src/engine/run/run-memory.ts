import type { Store } from "../../store/index.js";
import { foldState, type StateDelta } from "../state/fold-state.js";
import type { RunTable, StepAttemptTable } from "../store/engine-tables.js";
import {
  loadAttempts,
  loadIterations,
  markAttempt,
  type StepStatus,
} from "../store/run-records.js";
import type {
  EvaluationScope,
  StepDefinition,
  StepView,
  WorkflowDefinition,
} from "../workflow-definition.js";
import { WorkflowError } from "../workflow-error.js";
import { chainHash, EMPTY_CHAIN } from "./integrity-chain.js";
import { viewFromOutput } from "./view-from-output.js";

/** An attempt whose commit is not durable yet, seen as if it were (to decide what that commit carries). */
export interface PendingEnd {
  stepId: string;
  view: StepView;
  /** Its state writes, as committed (JSON round-tripped), or null. */
  writes: Record<string, unknown> | null;
}

/**
 * What a run has committed, in memory: state deltas, the ended steps of each iteration, attempt
 * numbers and iteration scores. Rebuilt from the store on every drive (after checking the
 * integrity chain) and kept in step with each commit; scopes for templates, expressions and
 * code steps are made from it.
 */
export class RunMemory {
  readonly stepIndex: Map<string, number>;
  readonly scores: (number | null)[] = [];
  private readonly deltas: StateDelta[] = [];
  private readonly ended = new Map<number, Map<string, StepView>>();
  private readonly attemptNumbers = new Map<string, number>();
  private readonly definition: WorkflowDefinition;
  private readonly run: RunTable;

  constructor(definition: WorkflowDefinition, run: RunTable) {
    this.definition = definition;
    this.run = run;
    this.stepIndex = new Map(definition.steps.map((step, index) => [step.id, index]));
  }

  /** Rebuilds state, ended steps and attempt numbers from the store, checking the integrity chain. */
  async load(store: Store): Promise<void> {
    const run = this.run;
    const attempts = await loadAttempts(store, run.id);
    let chain = EMPTY_CHAIN;
    let seq = 0;
    const committed = attempts.filter((attempt) => attempt.commit_seq !== null);
    for (const attempt of committed) {
      seq += 1;
      chain = chainHash(chain, {
        commitSeq: Number(attempt.commit_seq),
        stepId: attempt.step_id,
        iteration: Number(attempt.iteration),
        attempt: Number(attempt.attempt),
        status: attempt.status,
        outputJson: attempt.output_json,
        deltaJson: attempt.delta_json,
      });
      if (Number(attempt.commit_seq) !== seq || attempt.chain_hash !== chain) {
        throw this.integrityError(
          `commit ${seq} (step ${attempt.step_id}, attempt ${attempt.attempt})`,
        );
      }
    }
    if (seq !== Number(run.commit_count) || chain !== run.state_hash) {
      throw this.integrityError(`the run row (${run.commit_count} commits recorded, ${seq} found)`);
    }
    for (const attempt of attempts) {
      const key = `${attempt.step_id}@${attempt.iteration}`;
      this.attemptNumbers.set(
        key,
        Math.max(this.attemptNumbers.get(key) ?? 0, Number(attempt.attempt)),
      );
      if (attempt.commit_seq === null) {
        if (attempt.status === "running" || attempt.status === "waiting") {
          await markAttempt(
            store,
            attempt.id,
            "cancelled",
            JSON.stringify({
              message: "abandoned: the process driving the run ended before this attempt committed",
            }),
            Date.now(),
          );
        }
        continue;
      }
      this.absorb(attempt);
    }
    for (const entry of await loadIterations(store, run.id))
      this.scores[entry.iteration] = entry.score;
  }

  private integrityError(where: string): WorkflowError {
    const run = this.run;
    return new WorkflowError(
      `run ${run.id}: the stored state does not match its integrity hash at ${where}; the store was changed outside Orkestra or is damaged`,
      {
        code: "workflow.integrity",
        hint: "Restore the store from a backup, or start a new run; the run is not resumed on damaged state.",
      },
    );
  }

  /** Takes one committed attempt into the in-memory state. */
  absorb(attempt: StepAttemptTable): void {
    const step = this.definition.steps[this.stepIndex.get(attempt.step_id) ?? -1];
    if (!step) return;
    const iteration = Number(attempt.iteration);
    if (attempt.status === "succeeded" && attempt.delta_json !== null) {
      this.deltas.push({
        iteration,
        stepIndex: this.stepIndex.get(step.id) ?? 0,
        writes: JSON.parse(attempt.delta_json) as Record<string, unknown>,
      });
    }
    const view = this.viewOf(
      step,
      attempt.status as StepStatus,
      attempt.output_json,
      attempt.error_json,
    );
    // A failure under `onFailure: fail` ended the run or paused it: a resume runs the step again.
    if (view && !(view.status === "failed" && step.onFailure.type === "fail")) {
      this.endedIn(iteration).set(step.id, view);
    }
  }

  viewOf(
    step: StepDefinition,
    status: StepStatus,
    outputJson: string | null,
    errorJson: string | null,
  ): StepView | undefined {
    const error =
      errorJson === null
        ? undefined
        : String((JSON.parse(errorJson) as { message?: unknown }).message);
    if (status === "succeeded")
      return viewFromOutput(step.kind, outputJson === null ? null : JSON.parse(outputJson));
    if (status === "skipped")
      return { status: "skipped", ...(error === undefined ? {} : { error }) };
    if (status === "failed") return { status: "failed", ...(error === undefined ? {} : { error }) };
    return undefined;
  }

  endedIn(iteration: number): Map<string, StepView> {
    let views = this.ended.get(iteration);
    if (!views) {
      views = new Map();
      this.ended.set(iteration, views);
    }
    return views;
  }

  /**
   * A step as its dependents see it: a failed step with a fallback is seen as the fallback.
   * `pending` (of this iteration) is seen as ended.
   */
  resolvedView(iteration: number, id: string, pending?: PendingEnd): StepView | undefined {
    const ended = this.ended.get(iteration);
    const viewOf = (stepId: string): StepView | undefined =>
      pending?.stepId === stepId ? pending.view : ended?.get(stepId);
    const view = viewOf(id);
    if (view?.status === "failed") {
      const step = this.definition.steps[this.stepIndex.get(id) ?? -1];
      if (step?.onFailure.type === "fallback") return viewOf(step.onFailure.step);
    }
    return view;
  }

  stepsOf(iteration: number, pending?: PendingEnd): Record<string, StepView> {
    const steps: Record<string, StepView> = {};
    for (const step of this.definition.steps) {
      const view = this.resolvedView(iteration, step.id, pending);
      if (view) steps[step.id] = view;
    }
    return steps;
  }

  stateAt(iteration: number, pending?: PendingEnd): Record<string, unknown> {
    const deltas =
      pending?.writes && pending.view.status === "succeeded"
        ? [
            ...this.deltas,
            {
              iteration,
              stepIndex: this.stepIndex.get(pending.stepId) ?? 0,
              writes: pending.writes,
            },
          ]
        : this.deltas;
    return foldState(this.definition.state, deltas, iteration);
  }

  /** What templates, expressions and code steps of `iteration` see; with `pending` as if it had committed. */
  scope(iteration: number, pending?: PendingEnd): EvaluationScope {
    return {
      // A fresh copy per scope: a step that changes its inputs cannot change another's.
      inputs: JSON.parse(this.run.inputs_json) as Record<string, unknown>,
      state: this.stateAt(iteration, pending),
      steps: this.stepsOf(iteration, pending),
      iteration,
      ...(iteration > 0
        ? { previous: { steps: this.stepsOf(iteration - 1), state: this.stateAt(iteration - 1) } }
        : {}),
    };
  }

  /** Records a committed delta (already JSON round-tripped). */
  addDelta(stepId: string, iteration: number, writes: Record<string, unknown>): void {
    this.deltas.push({ iteration, stepIndex: this.stepIndex.get(stepId) ?? 0, writes });
  }

  nextAttempt(key: string): number {
    const attempt = (this.attemptNumbers.get(key) ?? 0) + 1;
    this.attemptNumbers.set(key, attempt);
    return attempt;
  }
}
