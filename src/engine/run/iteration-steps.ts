import type { StepDefinition, StepView, WorkflowDefinition } from "../workflow-definition.js";

/** A step attempt whose claim is on disk (or in the same transaction as the commit that made it ready). */
export interface ClaimedAttempt {
  step: StepDefinition;
  attempt: number;
  attemptId: string;
  startedAt: number;
}

/**
 * The steps of one iteration as the driver schedules them: ended (`views`, shared with the
 * run's memory), running, claimed by a commit that is not durable yet (`reserved`: they start
 * once it is), and ending (`pending`: their commit is in flight and decides which steps it
 * claims, so they count as ended when another commit looks for ready steps).
 */
export class IterationSteps {
  readonly iteration: number;
  readonly views: Map<string, StepView>;
  /** Fallback steps whose step failed: only these of the fallback targets may run. */
  readonly activated = new Set<string>();
  readonly running = new Map<string, Promise<void>>();
  readonly reserved = new Set<string>();
  readonly pending = new Map<string, StepView>();
  /** Aborted when a step fails the run: its siblings stop. */
  readonly siblings = new AbortController();
  outcome: "failed" | "paused" | undefined;
  private readonly definition: WorkflowDefinition;
  private readonly fallbackTargets: ReadonlySet<string>;
  private readonly stepIndex: ReadonlyMap<string, number>;
  private readonly isWaiting: (stepId: string) => boolean;

  constructor(options: {
    definition: WorkflowDefinition;
    iteration: number;
    views: Map<string, StepView>;
    fallbackTargets: ReadonlySet<string>;
    stepIndex: ReadonlyMap<string, number>;
    isWaiting: (stepId: string) => boolean;
  }) {
    this.definition = options.definition;
    this.iteration = options.iteration;
    this.views = options.views;
    this.fallbackTargets = options.fallbackTargets;
    this.stepIndex = options.stepIndex;
    this.isWaiting = options.isWaiting;
    for (const step of this.definition.steps) {
      if (this.views.get(step.id)?.status === "failed" && step.onFailure.type === "fallback")
        this.activated.add(step.onFailure.step);
    }
  }

  /** Steps that take a slot of the run's concurrency: running and not waiting for a person, or about to start. */
  working(): number {
    let count = this.reserved.size;
    for (const id of this.running.keys()) if (!this.isWaiting(id)) count += 1;
    return count;
  }

  /** Whether `id` takes a slot now (it runs and does not wait for a person). */
  holdsSlot(id: string): boolean {
    return this.running.has(id) && !this.isWaiting(id);
  }

  /** Steps that may start now, in the definition's order, at most `slots` of them. */
  ready(slots: number): StepDefinition[] {
    const ready: StepDefinition[] = [];
    if (slots <= 0) return ready;
    for (const step of this.definition.steps) {
      const id = step.id;
      if (this.views.has(id) || this.pending.has(id)) continue;
      if (this.running.has(id) || this.reserved.has(id)) continue;
      if (this.fallbackTargets.has(id) && !this.activated.has(id)) continue;
      if (!step.needs.every((need) => this.resolved(need) !== undefined)) continue;
      ready.push(step);
      if (ready.length >= slots) break;
    }
    return ready;
  }

  /** A step as its dependents see it (a failed step with a fallback is seen as the fallback). */
  private resolved(id: string): StepView | undefined {
    const view = this.views.get(id) ?? this.pending.get(id);
    if (view?.status !== "failed") return view;
    const step = this.definition.steps[this.stepIndex.get(id) ?? -1];
    if (step?.onFailure.type !== "fallback") return view;
    const fallback = step.onFailure.step;
    return this.views.get(fallback) ?? this.pending.get(fallback);
  }
}
