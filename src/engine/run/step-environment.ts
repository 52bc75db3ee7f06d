import type { Gateway } from "../../models/index.js";
import type { Logger } from "../../observability/index.js";
import type { Store } from "../../store/index.js";
import type { ChildOutcome, StepEnvironment } from "../steps/step-runner.js";
import type { RunTable } from "../store/engine-tables.js";
import type { RunClaim } from "../store/run-records.js";
import type {
  EvaluationScope,
  StepDefinition,
  WorkflowDefinition,
} from "../workflow-definition.js";
import { awaitApproval } from "./await-approval.js";
import { RunEmitter } from "./run-events.js";
import type { DriveOptions } from "./run-options.js";
import type { WaitingSteps } from "./waiting-steps.js";

/** Runs a sub-workflow as a child run (given by the run API, which owns starting and resuming runs). */
export type ChildRunner = (
  definition: WorkflowDefinition,
  inputs: Record<string, unknown>,
  parent: { runId: string; step: string },
  options: DriveOptions,
) => Promise<ChildOutcome>;

/** What the steps of a run get from its driver. */
export interface RunContext {
  run: RunTable;
  store: Store;
  claim: RunClaim;
  options: DriveOptions;
  events: RunEmitter;
  pollMs: number;
  waiting: WaitingSteps;
  childRunner: ChildRunner;
  /** Sub-workflow runs driven for the run's steps: they settle before the run does. */
  children: Set<Promise<unknown>>;
  /** Model spend of the committed attempts, USD. */
  spentUsd: () => number;
  /** The run's logger. */
  logger: () => Logger;
  /** The run's view of the gateway (runGateway), or none: model steps then fail. */
  gateway: Gateway | undefined;
}

/**
 * The gateway as a run's steps use it: every call carries the run's id, and with `budgetUsd`
 * a hard limit on the run's scope, held atomically with the configured budgets before each
 * call, so concurrent steps (and a sub-workflow's, whose view adds its own) can never spend
 * past it together. Given a parent run's view, the parent's limit applies as well.
 */
export function runGateway(gateway: Gateway | undefined, run: RunTable): Gateway | undefined {
  if (!gateway) return undefined;
  if (run.budget_usd === null) return gateway.withDefaults({ runId: run.id });
  return gateway.withDefaults({
    runId: run.id,
    spendLimits: [
      {
        scope: `run:${run.id}`,
        limitUsd: Number(run.budget_usd),
        label: `budgetUsd of run ${run.id}`,
      },
    ],
  });
}

/** What one attempt of `step` sees of its run. */
export interface AttemptPlace {
  step: StepDefinition;
  scope: EvaluationScope;
  signal: AbortSignal;
  iteration: number;
  attempt: number;
  attemptId: string;
}

/** A logger bound to the run and to one attempt of a step. */
export function attemptLogger(
  context: RunContext,
  step: StepDefinition,
  iteration: number,
  attempt: number,
): Logger {
  return context.logger().child({ stepId: step.id, iteration, attempt });
}

/** The environment of one attempt: its scope, signal, gateway, logger, sub-workflows and approvals. */
export function stepEnvironment(context: RunContext, place: AttemptPlace): StepEnvironment {
  const { run } = context;
  const { step, scope, signal, iteration, attempt, attemptId } = place;
  let logger: Logger | undefined;
  return {
    scope,
    signal,
    runId: run.id,
    stepId: step.id,
    iteration,
    attempt,
    gateway: context.gateway?.withDefaults({ stepId: step.id }),
    store: context.store,
    // A child logger per attempt only for the steps that log.
    get logger() {
      logger ??= attemptLogger(context, step, iteration, attempt);
      return logger;
    },
    budgetLeftUsd: () =>
      run.budget_usd === null
        ? Number.POSITIVE_INFINITY
        : Number(run.budget_usd) - context.spentUsd(),
    runChild: (definition, inputs) => runChild(context, place, definition, inputs),
    awaitApproval: (request) =>
      awaitApproval(
        {
          store: context.store,
          claim: context.claim,
          events: context.events,
          pollMs: context.pollMs,
          waiting: context.waiting,
        },
        step,
        iteration,
        attemptId,
        request,
        signal,
      ),
  };
}

/**
 * Drives a sub-workflow's run. It never detaches on its own: while it waits for a person,
 * this step waits too (and this run is `waiting`); when this run detaches, so does the child.
 */
function runChild(
  context: RunContext,
  place: AttemptPlace,
  definition: WorkflowDefinition,
  inputs: Record<string, unknown>,
): Promise<ChildOutcome> {
  const { waiting, children } = context;
  const { step, iteration, attemptId, signal } = place;
  const key = `${step.id}@${iteration}`;
  const onWaitingChange = (isWaiting: boolean): void => {
    const change = isWaiting
      ? waiting.enter(key, attemptId)
      : waiting.leave(key, attemptId, signal.aborted);
    change.catch(() => {});
  };
  const child = context.childRunner(
    definition,
    inputs,
    { runId: context.run.id, step: key },
    {
      ...context.options,
      ...(context.gateway ? { gateway: context.gateway } : {}),
      events: new RunEmitter(),
      signal,
      onWaitingChange,
    },
  );
  const settled = child.then(
    () => waiting.leave(key, attemptId, signal.aborted),
    () => waiting.leave(key, attemptId, signal.aborted),
  );
  children.add(settled);
  settled.finally(() => children.delete(settled)).catch(() => {});
  return child;
}
