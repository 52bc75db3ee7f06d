import { randomUUID } from "node:crypto";
import { coerceError } from "../../errors/index.js";
import { createLogger, type Logger } from "../../observability/index.js";
import type { Store } from "../../store/index.js";
import { runStepKind } from "../steps/run-step-kind.js";
import { type ChildOutcome, type StepEnvironment, StepFailure } from "../steps/step-runner.js";
import { engineDb } from "../store/engine-db.js";
import type { RunTable } from "../store/engine-tables.js";
import {
  claimAttempt,
  endIteration,
  leaseLost,
  type RunClaim,
  type RunStatus,
  readRunStatus,
  updateRun,
} from "../store/run-records.js";
import type {
  EvaluationScope,
  LoopStopReason,
  StepDefinition,
  StepView,
  WorkflowDefinition,
} from "../workflow-definition.js";
import { WorkflowError } from "../workflow-error.js";
import { abortableDelay } from "./abortable-delay.js";
import { AttemptCommitter, failureFields } from "./attempt-committer.js";
import { type ApprovalWaitContext, awaitApproval } from "./await-approval.js";
import { RunEmitter } from "./run-events.js";
import {
  RUN_LEASE_HEARTBEAT_MS,
  RUN_LEASE_TTL_MS,
  RunLeaseHeartbeat,
  releaseRunLease,
} from "./run-lease.js";
import { RunMemory } from "./run-memory.js";
import type { DriveOptions } from "./run-options.js";
import { describeFailure, raceAbort } from "./step-failures.js";
import { viewFromOutput } from "./view-from-output.js";
import { WaitingSteps } from "./waiting-steps.js";

/** Why a run's in-flight steps were aborted from outside the step. */
class RunStop extends Error {
  readonly reason: "cancelled" | "deadline" | "failed" | "detach" | "lease_lost";
  constructor(reason: RunStop["reason"]) {
    super(`run stopped: ${reason}`);
    this.reason = reason;
  }
}

type IterationOutcome = "completed" | "failed" | "paused" | "waiting" | "stopped";

/** Runs a sub-workflow as a child run (given by the run API, which owns starting and resuming runs). */
export type ChildRunner = (
  definition: WorkflowDefinition,
  inputs: Record<string, unknown>,
  parent: { runId: string; step: string },
  options: DriveOptions,
) => Promise<ChildOutcome>;

export interface DriveResult {
  status: RunStatus;
  stopReason: LoopStopReason | null;
  error: string | null;
}

const RETRY_BACKOFF_CAP_MS = 30_000;

/**
 * Drives one claimed run to its end, a pause or a wait: schedules ready steps (at most
 * `concurrency` at once), runs each attempt under its timeout, commits every finished attempt
 * in one transaction (serialised here, so the integrity chain has one order), folds state from
 * committed deltas in the definition's step order, and loops iterations.
 */
export class RunDriver {
  readonly events: RunEmitter;
  private readonly logger: Logger;
  private readonly store: Store;
  private readonly memory: RunMemory;
  private readonly fallbackTargets: Set<string>;
  private readonly runAbort = new AbortController();
  private readonly waiting: WaitingSteps;
  private readonly committer: AttemptCommitter;
  private wakeUp: () => void = () => {};
  private lastError: string | null = null;
  /** An error no step can handle (a fenced commit, the store gone): it ends the drive. */
  private fatal: unknown;
  /** Sub-workflow runs driven for this run's steps: they settle before this run does. */
  private readonly children = new Set<Promise<unknown>>();
  /** Whether this run last told its parent that it can only go on after a person's decision. */
  private reportedWaiting = false;

  private readonly definition: WorkflowDefinition;
  private readonly run: RunTable;
  private readonly claim: RunClaim;
  private readonly options: DriveOptions;
  private readonly childRunner: ChildRunner;

  constructor(
    definition: WorkflowDefinition,
    run: RunTable,
    claim: RunClaim,
    options: DriveOptions,
    childRunner: ChildRunner,
  ) {
    this.childRunner = childRunner;
    this.definition = definition;
    this.run = run;
    this.claim = claim;
    this.options = options;
    this.store = options.store;
    this.events = options.events ?? new RunEmitter();
    this.logger = (options.logger ?? createLogger({ level: "silent" })).child({ runId: run.id });
    this.memory = new RunMemory(definition, run);
    this.fallbackTargets = new Set(
      definition.steps.flatMap((step) =>
        step.onFailure.type === "fallback" ? [step.onFailure.step] : [],
      ),
    );
    this.waiting = new WaitingSteps(this.store, claim, () => this.wakeUp());
    this.committer = new AttemptCommitter(this.store, claim, this.events, {
      commitSeq: Number(run.commit_count),
      chainHead: run.state_hash,
      costUsd: Number(run.cost_usd),
    });
  }

  private get concurrency(): number {
    return Math.max(1, Number(this.run.concurrency));
  }

  private get pollMs(): number {
    return this.options.pollIntervalMs ?? 250;
  }

  /** Rebuilds what the run committed from the store, checking its integrity chain. */
  load(): Promise<void> {
    return this.memory.load(this.store);
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
      if ((this.runAbort.signal.reason as RunStop | undefined)?.reason === "lease_lost")
        throw leaseLost(this.claim);
      return await this.finish(result);
    } finally {
      await releaseRunLease(this.store, this.claim).catch(() => {});
    }
  }

  /** Claims the next attempt of `step` (its row, under the run's fencing token) and says so. */
  private async beginAttempt(
    step: StepDefinition,
    iteration: number,
    key: string,
  ): Promise<{ attempt: number; attemptId: string; startedAt: number }> {
    const attempt = this.memory.nextAttempt(key);
    const attemptId = randomUUID();
    const startedAt = Date.now();
    await claimAttempt(this.store, this.claim, {
      id: attemptId,
      step_id: step.id,
      iteration,
      attempt,
      started_at: startedAt,
    });
    this.events.emit({
      type: "step:start",
      runId: this.run.id,
      stepId: step.id,
      kind: step.kind,
      iteration,
      attempt,
    });
    return { attempt, attemptId, startedAt };
  }

  private async iterate(first: number): Promise<DriveResult> {
    const loop = this.definition.loop;
    for (let iteration = first; ; iteration += 1) {
      const outcome = await this.runIteration(iteration);
      if (outcome !== "completed") return this.interrupted(outcome);
      const scope = this.memory.scope(iteration);
      const score = loop?.score ? Number(loop.score.evaluate(scope)) : null;
      const stopReason = this.stopReason(iteration, scope, score);
      this.memory.scores[iteration] = score;
      await endIteration(this.store, this.claim, iteration, score, Date.now(), stopReason === null);
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

  private currentIteration = 0;

  private stopReason(
    iteration: number,
    scope: EvaluationScope,
    score: number | null,
  ): LoopStopReason | null {
    const loop = this.definition.loop;
    if (!loop) return "no_loop";
    if (loop.until?.evaluate(scope)) return "until";
    if (iteration + 1 >= loop.maxIterations) return "max_iterations";
    if (loop.noImprovement !== undefined && score !== null) {
      const earlier = this.memory.scores
        .slice(0, iteration)
        .filter((value): value is number => typeof value === "number");
      const best = Math.max(
        ...earlier.slice(0, Math.max(0, earlier.length - loop.noImprovement + 1)),
      );
      const recent = [...earlier.slice(-(loop.noImprovement - 1)), score].slice(
        -loop.noImprovement,
      );
      if (earlier.length >= loop.noImprovement && recent.every((value) => value <= best))
        return "no_improvement";
    }
    if (this.run.budget_usd !== null && this.committer.costUsd >= Number(this.run.budget_usd))
      return "budget";
    if (this.run.deadline_at !== null && Date.now() >= Number(this.run.deadline_at))
      return "deadline";
    return null;
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

  private async finish(result: DriveResult): Promise<DriveResult> {
    const terminal =
      result.status === "succeeded" || result.status === "failed" || result.status === "cancelled";
    const state = this.memory.stateAt(this.currentIteration);
    const updated = await updateRun(this.store, this.claim, {
      status: result.status,
      stop_reason: result.stopReason,
      state_json: JSON.stringify(state),
      error_json: result.error === null ? null : JSON.stringify({ message: result.error }),
      ...(terminal ? { finished_at: Date.now() } : {}),
    });
    let final = result;
    if (!updated) {
      // Someone else ended the run first (a cancel from another process): theirs stands.
      const status = ((await readRunStatus(this.store, this.run.id)) ?? result.status) as RunStatus;
      final = { ...result, status };
      await this.storeFinalState(state);
    }
    this.events.emit({
      type: "run:end",
      runId: this.run.id,
      status: final.status,
      stopReason: final.stopReason,
      ...(final.error === null ? {} : { error: final.error }),
    });
    return final;
  }

  private async storeFinalState(state: Record<string, unknown>): Promise<void> {
    await engineDb(this.store)
      .updateTable("runs")
      .set({ state_json: JSON.stringify(state) })
      .where("id", "=", this.run.id)
      .where("fencing_token", "=", this.claim.token)
      .execute();
  }

  /**
   * Polls the run row for a cancel; renews the lease (its loss stops every step); arms the
   * deadline; follows the caller's signal (a parent's detach or lost lease is this run's too).
   */
  private watch(): () => void {
    const abort = (reason: RunStop["reason"]): void => {
      if (!this.runAbort.signal.aborted) this.runAbort.abort(new RunStop(reason));
      this.wakeUp();
    };
    const heartbeat = new RunLeaseHeartbeat(
      this.store,
      this.claim,
      {
        ttlMs: this.options.leaseTtlMs ?? RUN_LEASE_TTL_MS,
        heartbeatMs: this.options.leaseHeartbeatMs ?? RUN_LEASE_HEARTBEAT_MS,
      },
      () => {
        this.logger.warn("another process took the run's lease over; stopping its steps");
        abort("lease_lost");
      },
    );
    heartbeat.start();
    const poll = setInterval(() => {
      readRunStatus(this.store, this.run.id).then(
        (status) => {
          if (status === "cancelled") abort("cancelled");
        },
        () => {},
      );
    }, this.pollMs);
    const deadline =
      this.run.deadline_at === null
        ? undefined
        : setTimeout(
            () => abort("deadline"),
            Math.max(0, Number(this.run.deadline_at) - Date.now()),
          );
    const onSignal = (): void => {
      const reason = this.options.signal?.reason;
      abort(
        reason instanceof RunStop && (reason.reason === "detach" || reason.reason === "lease_lost")
          ? reason.reason
          : "cancelled",
      );
    };
    this.options.signal?.addEventListener("abort", onSignal, { once: true });
    if (this.options.signal?.aborted) abort("cancelled");
    return () => {
      heartbeat.stop();
      clearInterval(poll);
      if (deadline) clearTimeout(deadline);
      this.options.signal?.removeEventListener("abort", onSignal);
    };
  }

  private async runIteration(iteration: number): Promise<IterationOutcome> {
    this.currentIteration = iteration;
    const views = this.memory.endedIn(iteration);
    const activated = new Set<string>();
    for (const step of this.definition.steps) {
      if (views.get(step.id)?.status === "failed" && step.onFailure.type === "fallback")
        activated.add(step.onFailure.step);
    }
    const siblings = new AbortController();
    const running = new Map<string, Promise<void>>();
    let outcome: "failed" | "paused" | undefined;

    const start = (step: StepDefinition): void => {
      const task = this.executeStep(step, iteration, siblings.signal).then(
        (view) => {
          running.delete(step.id);
          if (!view) return;
          views.set(step.id, view);
          if (view.status !== "failed") return;
          if (step.onFailure.type === "fallback") activated.add(step.onFailure.step);
          else if (step.onFailure.type === "fail") {
            this.lastError = `step ${step.id} failed: ${view.error ?? "unknown error"}`;
            if (step.onExhausted === "pause") outcome ??= "paused";
            else {
              outcome = "failed";
              siblings.abort(new RunStop("failed"));
            }
          }
        },
        (error: unknown) => {
          running.delete(step.id);
          this.fatal ??= error;
          const lost = WorkflowError.isInstance(error) && error.code === "workflow.lease_lost";
          if (!this.runAbort.signal.aborted)
            this.runAbort.abort(new RunStop(lost ? "lease_lost" : "failed"));
        },
      );
      running.set(step.id, task);
    };

    for (;;) {
      const stopping = outcome !== undefined || this.runAbort.signal.aborted;
      if (!stopping) {
        for (const step of this.definition.steps) {
          const working = [...running.keys()].filter(
            (id) => !this.waiting.has(`${id}@${iteration}`),
          ).length;
          if (working >= this.concurrency) break;
          if (views.has(step.id) || running.has(step.id)) continue;
          if (this.fallbackTargets.has(step.id) && !activated.has(step.id)) continue;
          if (step.needs.every((need) => this.memory.resolvedView(iteration, need) !== undefined))
            start(step);
        }
      }
      if (running.size === 0) break;
      const onlyApprovals = [...running.keys()].every((id) =>
        this.waiting.has(`${id}@${iteration}`),
      );
      this.reportWaiting(onlyApprovals && !stopping);
      if (onlyApprovals && (stopping || !this.options.waitForApprovals)) {
        siblings.abort(new RunStop("detach"));
        await Promise.all(running.values());
        if (!stopping) return "waiting";
        break;
      }
      const woken = new Promise<void>((resolve) => {
        this.wakeUp = resolve;
      });
      await Promise.race([...running.values(), woken]);
    }
    if (this.fatal !== undefined) throw this.fatal;
    if (this.runAbort.signal.aborted) return "stopped";
    if (outcome) return outcome;
    return "completed";
  }

  /** Runs a step's attempts (retries included); resolves to its ended view, or undefined when stopped. */
  private async executeStep(
    step: StepDefinition,
    iteration: number,
    siblings: AbortSignal,
  ): Promise<StepView | undefined> {
    const key = `${step.id}@${iteration}`;
    const stepSignal = AbortSignal.any([this.runAbort.signal, siblings]);
    let scope = this.memory.scope(iteration);
    if (step.when) {
      let holds: boolean;
      try {
        holds = Boolean(step.when.evaluate(scope));
      } catch (error) {
        return this.recordWithoutRunning(
          step,
          iteration,
          "failed",
          `when ${step.when.source}: ${coerceError(error).message}`,
        );
      }
      if (!holds)
        return this.recordWithoutRunning(
          step,
          iteration,
          "skipped",
          `when ${step.when.source} was false`,
        );
    }
    for (let tries = 1; ; tries += 1) {
      if (stepSignal.aborted) return undefined;
      const { attempt, attemptId, startedAt } = await this.beginAttempt(step, iteration, key);
      const controller = new AbortController();
      const onStop = (): void => controller.abort(stepSignal.reason);
      stepSignal.addEventListener("abort", onStop, { once: true });
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
      const logger = this.logger.child({ stepId: step.id, iteration, attempt });
      try {
        const outcome = await raceAbort(
          runStepKind(
            step,
            this.environment(step, scope, controller.signal, iteration, attempt, attemptId, logger),
          ),
          controller.signal,
        );
        let output = outcome.output;
        if (step.kind === "code" && step.output) {
          const parsed = step.output.safeParse(output);
          if (!parsed.success) {
            throw new StepFailure(`step ${step.id}: invalid output: ${parsed.error.message}`, {
              retryable: true,
              kind: "validation",
            });
          }
          output = parsed.data;
        }
        const outputJson = JSON.stringify(output ?? null);
        const view = viewFromOutput(step.kind, JSON.parse(outputJson));
        const writes: Record<string, unknown> = {};
        for (const [channel, template] of Object.entries(step.writes)) {
          const value = template.resolve({ ...scope, output: view });
          if (value !== undefined) writes[channel] = value;
        }
        const deltaJson = Object.keys(writes).length > 0 ? JSON.stringify(writes) : null;
        await this.committer.commit(step, iteration, attempt, attemptId, startedAt, {
          status: "succeeded",
          outputJson,
          deltaJson,
          errorJson: null,
          inputTokens: outcome.inputTokens,
          outputTokens: outcome.outputTokens,
          costUsd: outcome.costUsd,
          model: outcome.model,
        });
        if (deltaJson !== null) {
          this.memory.addDelta(
            step.id,
            iteration,
            JSON.parse(deltaJson) as Record<string, unknown>,
          );
        }
        return view;
      } catch (thrown) {
        const stop = stepSignal.aborted ? (stepSignal.reason as RunStop) : undefined;
        // Detached: the attempt is found again on resume. Lease lost: the new owner runs it.
        if (stop?.reason === "detach" || stop?.reason === "lease_lost") return undefined;
        if (stop) {
          await this.committer.commit(
            step,
            iteration,
            attempt,
            attemptId,
            startedAt,
            failureFields("cancelled", stop.message),
          );
          return undefined;
        }
        const error =
          controller.signal.aborted && controller.signal.reason instanceof StepFailure
            ? controller.signal.reason
            : thrown;
        const { message, retryable, kind } = describeFailure(error);
        await this.committer.commit(
          step,
          iteration,
          attempt,
          attemptId,
          startedAt,
          failureFields("failed", message, kind, retryable),
        );
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
          logger.warn({ error: message, delayMs }, "step failed; retrying");
          await abortableDelay(delayMs, stepSignal);
          scope = this.memory.scope(iteration);
          continue;
        }
        return { status: "failed", error: message };
      } finally {
        if (timer) clearTimeout(timer);
        stepSignal.removeEventListener("abort", onStop);
      }
    }
  }

  /** A step that ends without running: skipped by `when`, or failed evaluating it. */
  private async recordWithoutRunning(
    step: StepDefinition,
    iteration: number,
    status: "skipped" | "failed",
    reason: string,
  ): Promise<StepView> {
    const { attempt, attemptId, startedAt } = await this.beginAttempt(
      step,
      iteration,
      `${step.id}@${iteration}`,
    );
    await this.committer.commit(
      step,
      iteration,
      attempt,
      attemptId,
      startedAt,
      failureFields(status, reason, status === "skipped" ? "skipped" : "when", false),
    );
    return { status, error: reason };
  }

  private approvalWait(): ApprovalWaitContext {
    return {
      store: this.store,
      claim: this.claim,
      events: this.events,
      pollMs: this.pollMs,
      waiting: this.waiting,
    };
  }

  private environment(
    step: StepDefinition,
    scope: EvaluationScope,
    signal: AbortSignal,
    iteration: number,
    attempt: number,
    attemptId: string,
    logger: Logger,
  ): StepEnvironment {
    return {
      scope,
      signal,
      runId: this.run.id,
      stepId: step.id,
      iteration,
      attempt,
      gateway: this.options.gateway,
      store: this.store,
      logger,
      budgetLeftUsd: () =>
        this.run.budget_usd === null
          ? Number.POSITIVE_INFINITY
          : Number(this.run.budget_usd) - this.committer.costUsd,
      runChild: (definition, inputs) =>
        this.runChild(step, iteration, attemptId, definition, inputs, signal),
      awaitApproval: (request) =>
        awaitApproval(this.approvalWait(), step, iteration, attemptId, request, signal),
    };
  }

  /** Tells the parent run (when this is a sub-workflow's) whether only a person can move it on. */
  private reportWaiting(waiting: boolean): void {
    if (waiting === this.reportedWaiting) return;
    this.reportedWaiting = waiting;
    this.options.onWaitingChange?.(waiting);
  }

  /**
   * Drives a sub-workflow's run. It never detaches on its own: while it waits for a person,
   * this step waits too (and this run is `waiting`); when this run detaches, so does the child.
   */
  private async runChild(
    step: StepDefinition,
    iteration: number,
    attemptId: string,
    definition: WorkflowDefinition,
    inputs: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<ChildOutcome> {
    const key = `${step.id}@${iteration}`;
    const onWaitingChange = (waiting: boolean): void => {
      const change = waiting
        ? this.waiting.enter(key, attemptId)
        : this.waiting.leave(key, attemptId, signal.aborted);
      change.catch(() => {});
    };
    const child = this.childRunner(
      definition,
      inputs,
      { runId: this.run.id, step: key },
      { ...this.options, events: new RunEmitter(), signal, onWaitingChange },
    );
    const settled = child.then(
      () => this.waiting.leave(key, attemptId, signal.aborted),
      () => this.waiting.leave(key, attemptId, signal.aborted),
    );
    this.children.add(settled);
    settled.finally(() => this.children.delete(settled)).catch(() => {});
    return child;
  }
}
