import { coerceError } from "../../errors/index.js";
import { createLogger, type Logger } from "../../observability/index.js";
import type { Store } from "../../store/index.js";
import { StepFailure } from "../steps/step-runner.js";
import type { RunTable } from "../store/engine-tables.js";
import type { AttemptClaim } from "../store/run-batch.js";
import { leaseLost, type RunClaim, type RunStatus } from "../store/run-records.js";
import type {
  EvaluationScope,
  LoopStopReason,
  StepDefinition,
  StepView,
  WorkflowDefinition,
} from "../workflow-definition.js";
import { WorkflowError } from "../workflow-error.js";
import { abortableDelay } from "./abortable-delay.js";
import { type ClaimedAttempt, IterationSteps } from "./iteration-steps.js";
import { loopStopReason } from "./loop-stop-reason.js";
import { runAttempt } from "./run-attempt.js";
import { RunEmitter } from "./run-events.js";
import { releaseRunLease } from "./run-lease.js";
import { type PendingEnd, RunMemory } from "./run-memory.js";
import type { DriveOptions } from "./run-options.js";
import { RunStop } from "./run-stop.js";
import { type RunSummary, summarizeRun } from "./run-summary.js";
import {
  type AttemptIdentity,
  type CommitFields,
  failureFields,
  RunWriter,
  type WriteExtras,
} from "./run-writer.js";
import {
  attemptLogger,
  type ChildRunner,
  type RunContext,
  runGateway,
  stepEnvironment,
} from "./step-environment.js";
import { describeFailure } from "./step-failures.js";
import { StepStop } from "./step-stop.js";
import { timeOrderedId } from "./time-ordered-id.js";
import { WaitingSteps } from "./waiting-steps.js";
import { watchRun } from "./watch-run.js";

export type { ChildRunner } from "./step-environment.js";

type IterationOutcome = "completed" | "failed" | "paused" | "waiting" | "stopped";

export interface DriveResult {
  status: RunStatus;
  stopReason: LoopStopReason | null;
  error: string | null;
}

/** A step's attempt that ended: its view, and the steps its commit claimed (they start now). */
interface EndedStep {
  view: StepView;
  next: readonly ClaimedAttempt[];
}

const RETRY_BACKOFF_CAP_MS = 30_000;

/** The logger of runs driven without one: made once, not per run. */
let silentLogger: Logger | undefined;

/**
 * Drives one claimed run to its end, a pause or a wait: schedules ready steps (at most
 * `concurrency` at once), runs each attempt under its timeout, commits every finished attempt
 * in one transaction (a run's writes in order, so the integrity chain has one order; grouped
 * with other runs' writes by the store's group committer), folds state from committed deltas
 * in the definition's step order, and loops iterations.
 *
 * A commit carries what follows from it: the claims of the steps it makes ready (one
 * transaction per step, and a claimed attempt is on disk before it runs), and, when it ends
 * the iteration, the iteration's score and the run's end.
 */
export class RunDriver {
  readonly events: RunEmitter;
  private runLogger: Logger | undefined;
  private readonly store: Store;
  private readonly memory: RunMemory;
  private readonly fallbackTargets: Set<string>;
  private readonly runAbort = new AbortController();
  private readonly waiting: WaitingSteps;
  private readonly writer: RunWriter;
  private wakeUp: () => void = () => {};
  private lastError: string | null = null;
  /** An error no step can handle (a fenced commit, the store gone): it ends the drive. */
  private fatal: unknown;
  /** Sub-workflow runs driven for this run's steps: they settle before this run does. */
  private readonly children = new Set<Promise<unknown>>();
  /** Whether this run last told its parent that it can only go on after a person's decision. */
  private reportedWaiting = false;
  /** The first iteration's steps and their claims, made with the run row (a new run). */
  private prepared: { steps: IterationSteps; claimed: ClaimedAttempt[] } | undefined;
  /** An iteration whose end went with its last commit. */
  private folded:
    | { iteration: number; score: number | null; stopReason: LoopStopReason | null }
    | undefined;
  /** The run's status once its end is written (its lease is given up with it). */
  private endStatus: string | undefined;
  private currentIteration = 0;

  private readonly definition: WorkflowDefinition;
  private readonly run: RunTable;
  private readonly claim: RunClaim;
  private readonly options: DriveOptions;
  private readonly context: RunContext;

  /** `created`: the run is new (this process inserts it); else it is resumed and is loaded first. */
  constructor(
    definition: WorkflowDefinition,
    run: RunTable,
    claim: RunClaim,
    options: DriveOptions,
    childRunner: ChildRunner,
    created = false,
  ) {
    this.definition = definition;
    this.run = run;
    this.claim = claim;
    this.options = options;
    this.store = options.store;
    this.events = options.events ?? new RunEmitter();
    this.memory = new RunMemory(definition, run);
    this.fallbackTargets = new Set(
      definition.steps.flatMap((step) =>
        step.onFailure.type === "fallback" ? [step.onFailure.step] : [],
      ),
    );
    this.waiting = new WaitingSteps(this.store, claim, () => this.wakeUp());
    this.writer = new RunWriter(this.store, claim, this.events, run, created);
    this.context = {
      run,
      store: this.store,
      claim,
      options,
      events: this.events,
      pollMs: this.pollMs,
      waiting: this.waiting,
      childRunner,
      children: this.children,
      spentUsd: () => this.writer.costUsd,
      logger: () => this.logger,
      gateway: runGateway(options.gateway, run),
    };
  }

  private get concurrency(): number {
    return Math.max(1, Number(this.run.concurrency));
  }

  private get pollMs(): number {
    return this.options.pollIntervalMs ?? 250;
  }

  /** Bound to the run; made when first needed (most runs never log). */
  private get logger(): Logger {
    if (!this.runLogger) {
      silentLogger ??= createLogger({ level: "silent" });
      this.runLogger = (this.options.logger ?? silentLogger).child({ runId: this.run.id });
    }
    return this.runLogger;
  }

  /** Rebuilds what the run committed from the store, checking its integrity chain. */
  load(): Promise<void> {
    return this.memory.load(this.store);
  }

  /** Inserts the new run, claimed by this driver, with the claims of its first ready steps. */
  async create(): Promise<void> {
    const steps = this.iterationSteps(0);
    const claimed = this.reserve(steps, steps.ready(this.concurrency));
    await this.writer.insert(
      this.run,
      claimed.map((entry) => claimRow(entry, 0)),
    );
    this.prepared = { steps, claimed };
  }

  /** The run's summary from what this driver wrote, when nobody else wrote the run meanwhile. */
  summary(): RunSummary | undefined {
    const mirror = this.writer.mirror;
    if (!mirror?.trusted || this.waiting.hasWaited) return undefined;
    const attempts = [...mirror.attempts].sort(
      (a, b) => a.iteration - b.iteration || a.attempt - b.attempt,
    );
    return summarizeRun(mirror.run, attempts, mirror.iterations, this.definition);
  }

  /** Runs iterations until the run ends, pauses or waits; records the outcome on the run row. */
  async drive(resumed: boolean): Promise<DriveResult> {
    const stopWatching = this.watch();
    this.events.emit({
      type: "run:start",
      runId: this.run.id,
      workflow: this.definition.name,
      resumed,
      iteration: Number(this.run.iteration),
    });
    try {
      let result: DriveResult;
      try {
        result = await this.iterate(Number(this.run.iteration));
      } catch (error) {
        result = { status: "failed", stopReason: null, error: coerceError(error).message };
        if (WorkflowError.isInstance(error) && error.code === "workflow.lease_lost") throw error;
      } finally {
        stopWatching();
        this.reportWaiting(false);
        await Promise.allSettled([...this.children]);
        await this.waiting.settled();
      }
      // The lease went to another process: it owns the run now; stop without a word to the store.
      const stop = this.runAbort.signal.reason as RunStop | undefined;
      if (stop?.reason === "lease_lost" && this.endStatus === undefined)
        throw leaseLost(this.claim);
      return await this.finish(result);
    } finally {
      if (this.endStatus === undefined)
        await releaseRunLease(this.store, this.claim).catch(() => {});
    }
  }

  /** Claims the next attempt of `step` on its own (its row, under the run's fencing token). */
  private async beginAttempt(step: StepDefinition, iteration: number): Promise<AttemptIdentity> {
    const [claimed] = this.reserve(undefined, [step], iteration);
    const entry = claimed as ClaimedAttempt;
    await this.writer.claimAttempts([claimRow(entry, iteration)]);
    return this.announce(entry, iteration);
  }

  /** Tells listeners that a claimed attempt starts. */
  private announce(claimed: ClaimedAttempt, iteration: number): AttemptIdentity {
    const { step, attempt } = claimed;
    this.events.emit({
      type: "step:start",
      runId: this.run.id,
      stepId: step.id,
      kind: step.kind,
      iteration,
      attempt,
    });
    return { ...claimed, iteration };
  }

  /** Numbers the next attempts of `ready` and, with `steps`, holds them as reserved until they start. */
  private reserve(
    steps: IterationSteps | undefined,
    ready: readonly StepDefinition[],
    iteration = steps?.iteration ?? 0,
  ): ClaimedAttempt[] {
    const startedAt = Date.now();
    return ready.map((step) => {
      steps?.reserved.add(step.id);
      return {
        step,
        attempt: this.memory.nextAttempt(`${step.id}@${iteration}`),
        attemptId: timeOrderedId(startedAt),
        startedAt,
      };
    });
  }

  private iterationSteps(iteration: number): IterationSteps {
    return new IterationSteps({
      definition: this.definition,
      iteration,
      views: this.memory.endedIn(iteration),
      fallbackTargets: this.fallbackTargets,
      stepIndex: this.memory.stepIndex,
      isWaiting: (id) => this.waiting.has(`${id}@${iteration}`),
    });
  }

  private async iterate(first: number): Promise<DriveResult> {
    const loop = this.definition.loop;
    for (let iteration = first; ; iteration += 1) {
      const outcome = await this.runIteration(iteration);
      if (outcome !== "completed") return this.interrupted(outcome);
      let score: number | null;
      let stopReason: LoopStopReason | null;
      if (this.folded?.iteration === iteration) {
        ({ score, stopReason } = this.folded);
      } else {
        const scope = this.memory.scope(iteration);
        score = loop?.score ? Number(loop.score.evaluate(scope)) : null;
        stopReason = this.stopReason(iteration, scope, score, 0);
        this.memory.scores[iteration] = score;
        const at = Date.now();
        const iterationEnd = { iteration, score, finishedAt: at, next: stopReason === null };
        const end = stopReason === null ? undefined : this.succeeded(stopReason, iteration, at);
        const status = await this.writer.finish({ iterationEnd, ...(end ? { end } : {}) });
        if (end) this.endStatus = status;
      }
      this.events.emit({
        type: "iteration:end",
        runId: this.run.id,
        iteration,
        score,
        ...(stopReason === null ? {} : { stopReason }),
      });
      if (stopReason !== null) return { status: "succeeded", stopReason, error: null };
      this.currentIteration = iteration + 1;
    }
  }

  /** The end of a run that succeeded, as written. */
  private succeeded(
    stopReason: LoopStopReason,
    iteration: number,
    at: number,
    pending?: PendingEnd,
  ): NonNullable<WriteExtras["end"]> {
    return {
      status: "succeeded",
      stopReason,
      stateJson: JSON.stringify(this.memory.stateAt(iteration, pending)),
      errorJson: null,
      finishedAt: at,
    };
  }

  private stopReason(
    iteration: number,
    scope: EvaluationScope,
    score: number | null,
    pendingCostUsd: number,
  ): LoopStopReason | null {
    return loopStopReason(this.definition.loop, {
      iteration,
      scope,
      score,
      scores: this.memory.scores,
      spentUsd: this.writer.costUsd + pendingCostUsd,
      budgetUsd: this.run.budget_usd === null ? null : Number(this.run.budget_usd),
      deadlineAt: this.run.deadline_at === null ? null : Number(this.run.deadline_at),
    });
  }

  private interrupted(outcome: Exclude<IterationOutcome, "completed">): DriveResult {
    if (outcome === "failed") return { status: "failed", stopReason: null, error: this.lastError };
    if (outcome === "paused") return { status: "paused", stopReason: null, error: this.lastError };
    if (outcome === "waiting") return { status: "waiting", stopReason: null, error: null };
    const reason = this.runAbort.signal.reason as RunStop | undefined;
    // The parent run detached while this sub-workflow waited for a person: it waits too.
    if (reason?.reason === "detach") return { status: "waiting", stopReason: null, error: null };
    if (reason?.reason === "deadline") {
      return { status: "failed", stopReason: "deadline", error: `the run's deadline passed` };
    }
    return { status: "cancelled", stopReason: null, error: null };
  }

  /** Writes the run's end (unless its last commit did) and says so; someone else's end (a cancel) stands. */
  private async finish(result: DriveResult): Promise<DriveResult> {
    let status = this.endStatus;
    if (status === undefined) {
      const terminal =
        result.status === "succeeded" ||
        result.status === "failed" ||
        result.status === "cancelled";
      status = await this.writer.finish({
        end: {
          status: result.status,
          stopReason: result.stopReason,
          stateJson: JSON.stringify(this.memory.stateAt(this.currentIteration)),
          errorJson: result.error === null ? null : JSON.stringify({ message: result.error }),
          finishedAt: terminal ? Date.now() : null,
        },
      });
      this.endStatus = status;
    }
    const final = status === result.status ? result : { ...result, status: status as RunStatus };
    this.events.emit({
      type: "run:end",
      runId: this.run.id,
      status: final.status,
      stopReason: final.stopReason,
      ...(final.error === null ? {} : { error: final.error }),
    });
    return final;
  }

  /** Stops the run's steps on a cancel, the deadline, a lost lease or the caller's signal. */
  private watch(): () => void {
    return watchRun({
      store: this.store,
      claim: this.claim,
      run: this.run,
      options: this.options,
      pollMs: this.pollMs,
      logger: () => this.logger,
      stop: (reason) => {
        if (!this.runAbort.signal.aborted) this.runAbort.abort(new RunStop(reason));
        this.wakeUp();
      },
      ended: () => this.endStatus !== undefined,
    });
  }

  private async runIteration(iteration: number): Promise<IterationOutcome> {
    this.currentIteration = iteration;
    const prepared = this.prepared?.steps.iteration === iteration ? this.prepared : undefined;
    this.prepared = undefined;
    const steps = prepared?.steps ?? this.iterationSteps(iteration);

    const start = (step: StepDefinition, claimed?: ClaimedAttempt): void => {
      steps.reserved.delete(step.id);
      const task = this.executeStep(steps, step, claimed).then(
        (ended) => {
          steps.running.delete(step.id);
          steps.pending.delete(step.id);
          if (!ended) return;
          const { view, next } = ended;
          steps.views.set(step.id, view);
          if (view.status === "failed") {
            if (step.onFailure.type === "fallback") steps.activated.add(step.onFailure.step);
            else if (step.onFailure.type === "fail") {
              this.lastError = `step ${step.id} failed: ${view.error ?? "unknown error"}`;
              if (step.onExhausted === "pause") steps.outcome ??= "paused";
              else {
                steps.outcome = "failed";
                steps.siblings.abort(new RunStop("failed"));
              }
            }
          }
          for (const entry of next) start(entry.step, entry);
        },
        (error: unknown) => {
          steps.running.delete(step.id);
          steps.pending.delete(step.id);
          this.fatal ??= error;
          const lost = WorkflowError.isInstance(error) && error.code === "workflow.lease_lost";
          if (!this.runAbort.signal.aborted)
            this.runAbort.abort(new RunStop(lost ? "lease_lost" : "failed"));
        },
      );
      steps.running.set(step.id, task);
    };

    for (const entry of prepared?.claimed ?? []) start(entry.step, entry);
    for (;;) {
      const stopping = steps.outcome !== undefined || this.runAbort.signal.aborted;
      if (!stopping) {
        for (const step of steps.ready(this.concurrency - steps.working())) start(step);
      }
      if (steps.running.size === 0) break;
      const onlyApprovals = [...steps.running.keys()].every((id) =>
        this.waiting.has(`${id}@${iteration}`),
      );
      this.reportWaiting(onlyApprovals && !stopping);
      if (onlyApprovals && (stopping || !this.options.waitForApprovals)) {
        steps.siblings.abort(new RunStop("detach"));
        await Promise.all(steps.running.values());
        if (!stopping) return "waiting";
        break;
      }
      const woken = new Promise<void>((resolve) => {
        this.wakeUp = resolve;
      });
      await Promise.race([...steps.running.values(), woken]);
    }
    if (this.fatal !== undefined) throw this.fatal;
    if (this.runAbort.signal.aborted) return "stopped";
    if (steps.outcome) return steps.outcome;
    return "completed";
  }

  /**
   * What the commit of `step`'s ended attempt carries besides it: claims of the steps it makes
   * ready (within the run's concurrency) and, when nothing else runs or can start, the end of
   * the iteration, and of the run when the loop stops there. Only for a step that succeeded or
   * was skipped; a failure goes the plain way (the driver claims what follows once it is durable).
   */
  private planAfter(
    steps: IterationSteps,
    step: StepDefinition,
    pending: PendingEnd,
    costUsd: number,
  ): { extras: WriteExtras; next: ClaimedAttempt[]; folded?: RunDriver["folded"] } {
    if (
      steps.outcome !== undefined ||
      this.runAbort.signal.aborted ||
      steps.siblings.signal.aborted
    )
      return { extras: {}, next: [] };
    steps.pending.set(step.id, pending.view);
    const slots = this.concurrency - steps.working() + (steps.holdsSlot(step.id) ? 1 : 0);
    const next = this.reserve(steps, steps.ready(slots));
    const iteration = steps.iteration;
    const extras: WriteExtras = { claims: next.map((entry) => claimRow(entry, iteration)) };
    const last = next.length === 0 && steps.running.size === 1 && steps.reserved.size === 0;
    if (!last || !steps.running.has(step.id)) return { extras, next };
    let score: number | null;
    let stopReason: LoopStopReason | null;
    try {
      const scope = this.memory.scope(iteration, pending);
      const loop = this.definition.loop;
      score = loop?.score ? Number(loop.score.evaluate(scope)) : null;
      stopReason = this.stopReason(iteration, scope, score, costUsd);
    } catch {
      // The loop's expression fails: the iteration ends the plain way, which reports it.
      return { extras, next };
    }
    const at = Date.now();
    extras.iterationEnd = { iteration, score, finishedAt: at, next: stopReason === null };
    if (stopReason !== null) extras.end = this.succeeded(stopReason, iteration, at, pending);
    return { extras, next, folded: { iteration, score, stopReason } };
  }

  /** Commits an attempt that ended well (succeeded, or skipped), with what follows from it. */
  private async commitEnded(
    steps: IterationSteps,
    identity: AttemptIdentity,
    fields: CommitFields,
    view: StepView,
    writes: Record<string, unknown> | null,
  ): Promise<EndedStep> {
    const { step, iteration } = identity;
    const plan = this.planAfter(steps, step, { stepId: step.id, view, writes }, fields.costUsd);
    const status = await this.writer.commit(identity, fields, plan.extras);
    if (writes !== null && view.status === "succeeded")
      this.memory.addDelta(step.id, iteration, writes);
    if (plan.folded) {
      this.folded = plan.folded;
      this.memory.scores[iteration] = plan.folded.score;
    }
    if (plan.extras.end) this.endStatus = status;
    return { view, next: plan.next };
  }

  /** Runs a step's attempts (retries included); resolves to its ended view, or undefined when stopped. */
  private async executeStep(
    steps: IterationSteps,
    step: StepDefinition,
    claimed: ClaimedAttempt | undefined,
  ): Promise<EndedStep | undefined> {
    const iteration = steps.iteration;
    const scope = this.memory.scope(iteration);
    if (step.when) {
      let holds: boolean;
      try {
        holds = Boolean(step.when.evaluate(scope));
      } catch (error) {
        return this.recordWithoutRunning(
          steps,
          step,
          claimed,
          "failed",
          `when ${step.when.source}: ${coerceError(error).message}`,
        );
      }
      if (!holds)
        return this.recordWithoutRunning(
          steps,
          step,
          claimed,
          "skipped",
          `when ${step.when.source} was false`,
        );
    }
    const stop = new StepStop([this.runAbort.signal, steps.siblings.signal]);
    try {
      return await this.runAttempts(steps, step, claimed, scope, stop);
    } finally {
      stop.dispose();
    }
  }

  /** The attempts of a step that runs (its `when` held), until one commits or the step stops. */
  private async runAttempts(
    steps: IterationSteps,
    step: StepDefinition,
    claimed: ClaimedAttempt | undefined,
    firstScope: EvaluationScope,
    stepStop: StepStop,
  ): Promise<EndedStep | undefined> {
    const iteration = steps.iteration;
    let scope = firstScope;
    for (let tries = 1; ; tries += 1) {
      const stopped = stepStop.stopped();
      if (stopped) return this.dropClaimed(claimed, iteration, stopped);
      const identity = claimed
        ? this.announce(claimed, iteration)
        : await this.beginAttempt(step, iteration);
      claimed = undefined;
      const { attempt, attemptId } = identity;
      const controller = new AbortController();
      stepStop.follow(controller);
      const timer =
        step.timeoutMs === undefined
          ? undefined
          : setTimeout(
              () =>
                controller.abort(
                  new StepFailure(`step ${step.id} timed out after ${step.timeoutMs} ms`, {
                    retryable: true,
                    kind: "timeout",
                  }),
                ),
              step.timeoutMs,
            );
      try {
        const ended = await runAttempt(
          step,
          stepEnvironment(this.context, {
            step,
            scope,
            signal: controller.signal,
            iteration,
            attempt,
            attemptId,
          }),
        );
        return await this.commitEnded(steps, identity, ended.fields, ended.view, ended.writes);
      } catch (thrown) {
        const stop = stepStop.stopped();
        // Detached: the attempt is found again on resume. Lease lost: the new owner runs it.
        if (stop?.reason === "detach" || stop?.reason === "lease_lost") return undefined;
        if (stop) {
          await this.writer.commit(identity, failureFields("cancelled", stop.message));
          return undefined;
        }
        const error =
          controller.signal.aborted && controller.signal.reason instanceof StepFailure
            ? controller.signal.reason
            : thrown;
        const { message, retryable, kind } = describeFailure(error);
        await this.writer.commit(identity, failureFields("failed", message, kind, retryable));
        if (retryable && tries <= step.retries) {
          const delayMs = Math.min(
            RETRY_BACKOFF_CAP_MS,
            (this.options.retryBackoffMs ?? 200) * 2 ** (tries - 1),
          );
          this.events.emit({
            type: "step:retry",
            runId: this.run.id,
            stepId: step.id,
            iteration,
            attempt,
            error: message,
            delayMs,
          });
          attemptLogger(this.context, step, iteration, attempt).warn(
            { error: message, delayMs },
            "step failed; retrying",
          );
          await abortableDelay(delayMs, stepStop.signal());
          scope = this.memory.scope(iteration);
          continue;
        }
        return { view: { status: "failed", error: message }, next: [] };
      } finally {
        if (timer) clearTimeout(timer);
        stepStop.follow(undefined);
      }
    }
  }

  /**
   * A step claimed by an earlier commit that the run stopped before it started: cancelled,
   * like a step stopped while it ran; detached or taken over, it is left for a resume.
   */
  private async dropClaimed(
    claimed: ClaimedAttempt | undefined,
    iteration: number,
    stop: RunStop,
  ): Promise<undefined> {
    if (!claimed || stop.reason === "detach" || stop.reason === "lease_lost") return undefined;
    const identity = this.announce(claimed, iteration);
    await this.writer.commit(identity, failureFields("cancelled", stop.message));
    return undefined;
  }

  /** A step that ends without running: skipped by `when`, or failed evaluating it. */
  private async recordWithoutRunning(
    steps: IterationSteps,
    step: StepDefinition,
    claimed: ClaimedAttempt | undefined,
    status: "skipped" | "failed",
    reason: string,
  ): Promise<EndedStep> {
    const iteration = steps.iteration;
    const identity = claimed
      ? this.announce(claimed, iteration)
      : await this.beginAttempt(step, iteration);
    const fields = failureFields(status, reason, status === "skipped" ? "skipped" : "when", false);
    const view: StepView = { status, error: reason };
    if (status === "skipped") return this.commitEnded(steps, identity, fields, view, null);
    await this.writer.commit(identity, fields);
    return { view, next: [] };
  }

  /** Tells the parent run (when this is a sub-workflow's) whether only a person can move it on. */
  private reportWaiting(waiting: boolean): void {
    if (waiting === this.reportedWaiting) return;
    this.reportedWaiting = waiting;
    this.options.onWaitingChange?.(waiting);
  }
}

function claimRow(entry: ClaimedAttempt, iteration: number): AttemptClaim {
  return {
    id: entry.attemptId,
    step_id: entry.step.id,
    iteration,
    attempt: entry.attempt,
    started_at: entry.startedAt,
  };
}
