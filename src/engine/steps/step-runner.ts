import type { Gateway } from "../../models/index.js";
import type { Logger } from "../../observability/index.js";
import type { Store } from "../../store/index.js";
import type { EvaluationScope, WorkflowDefinition } from "../workflow-definition.js";

/** What a step kind produced: the output that is committed and the view later steps see. */
export interface StepOutcome {
  /** Committed as JSON; what later steps see is derived from it (viewFromOutput). */
  output: unknown;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  model: string | null;
}

/** What a step kind needs from the executor for one attempt. */
export interface StepEnvironment {
  scope: EvaluationScope;
  /** Aborted on the step's timeout, a cancel, the run's deadline. */
  signal: AbortSignal;
  runId: string;
  stepId: string;
  iteration: number;
  attempt: number;
  gateway: Gateway | undefined;
  /** The run's store (a vote step records its vote there). */
  store: Store;
  logger: Logger;
  /** Run budget left, USD (Infinity without a budget). */
  budgetLeftUsd: () => number;
  /** Runs a sub-workflow as a child run of this step (found again after a resume). */
  runChild: (
    definition: WorkflowDefinition,
    inputs: Record<string, unknown>,
  ) => Promise<ChildOutcome>;
  /** Waits for the person's decision on this step's approval. */
  awaitApproval: (request: {
    title: string;
    prompt: string;
    data: unknown;
    timeoutMs?: number;
  }) => Promise<ApprovalOutcome>;
}

export interface ChildOutcome {
  runId: string;
  status: string;
  state: Record<string, unknown>;
  outputs: Record<string, unknown>;
  costUsd: number;
  error?: string;
}

export interface ApprovalOutcome {
  approvalId: string;
  status: "approved" | "rejected";
  decidedBy: string | null;
  comment: string | null;
}

/** A failure of a step, with whether another attempt may help. */
export class StepFailure extends Error {
  readonly retryable: boolean;
  readonly kind: string;
  constructor(message: string, options: { retryable: boolean; kind: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "StepFailure";
    this.retryable = options.retryable;
    this.kind = options.kind;
  }
}

export function requireGateway(environment: StepEnvironment): Gateway {
  if (!environment.gateway) {
    throw new StepFailure(
      `step ${environment.stepId}: a model step needs a gateway; none was given`,
      {
        retryable: false,
        kind: "usage",
      },
    );
  }
  return environment.gateway;
}

export function checkBudget(environment: StepEnvironment): void {
  const left = environment.budgetLeftUsd();
  if (left <= 0) {
    throw new StepFailure(`step ${environment.stepId}: the run's budget is spent`, {
      retryable: false,
      kind: "budget_exceeded",
    });
  }
}
