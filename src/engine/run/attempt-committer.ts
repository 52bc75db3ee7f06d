import type { Store } from "../../store/index.js";
import { commitAttempt, type RunClaim, type StepStatus } from "../store/run-records.js";
import type { StepDefinition } from "../workflow-definition.js";
import { chainHash } from "./integrity-chain.js";
import type { RunEmitter } from "./run-events.js";

/** What an ended attempt commits besides its identity. */
export interface CommitFields {
  status: StepStatus;
  outputJson: string | null;
  deltaJson: string | null;
  errorJson: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  model: string | null;
}

/** The fields of an attempt that ended without output: failed, skipped or cancelled. */
export function failureFields(
  status: StepStatus,
  message: string,
  kind?: string,
  retryable?: boolean,
): CommitFields {
  return {
    status,
    outputJson: null,
    deltaJson: null,
    errorJson: JSON.stringify({
      message,
      ...(kind ? { kind } : {}),
      ...(retryable === undefined ? {} : { retryable }),
    }),
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    model: null,
  };
}

/**
 * Commits a run's attempts one at a time, each extending the integrity chain from the one
 * before (parallel steps finish in any order; the chain needs one), and tells listeners
 * `step:end` once an attempt is durable.
 */
export class AttemptCommitter {
  private commitSeq: number;
  private chainHead: string;
  /** Model spend of the committed attempts, USD. */
  costUsd: number;
  private commits: Promise<unknown> = Promise.resolve();
  private readonly store: Store;
  private readonly claim: RunClaim;
  private readonly events: RunEmitter;
  private readonly runId: string;

  constructor(
    store: Store,
    claim: RunClaim,
    events: RunEmitter,
    start: { commitSeq: number; chainHead: string; costUsd: number },
  ) {
    this.store = store;
    this.claim = claim;
    this.events = events;
    this.runId = claim.runId;
    this.commitSeq = start.commitSeq;
    this.chainHead = start.chainHead;
    this.costUsd = start.costUsd;
  }

  /** Commits are serialised: each extends the integrity chain from the one before. */
  commit(
    step: StepDefinition,
    iteration: number,
    attempt: number,
    attemptId: string,
    startedAt: number,
    fields: CommitFields,
  ): Promise<void> {
    const committed = this.commits.then(async () => {
      const commitSeq = this.commitSeq + 1;
      const hash = chainHash(this.chainHead, {
        commitSeq,
        stepId: step.id,
        iteration,
        attempt,
        status: fields.status,
        outputJson: fields.outputJson,
        deltaJson: fields.deltaJson,
      });
      const finishedAt = Date.now();
      await commitAttempt(this.store, this.claim, {
        attemptId,
        finishedAt,
        commitSeq,
        chainHash: hash,
        ...fields,
      });
      this.commitSeq = commitSeq;
      this.chainHead = hash;
      this.costUsd += fields.costUsd;
      const error =
        fields.errorJson === null
          ? undefined
          : String((JSON.parse(fields.errorJson) as { message: unknown }).message);
      this.events.emit({
        type: "step:end",
        runId: this.runId,
        stepId: step.id,
        kind: step.kind,
        iteration,
        attempt,
        status: fields.status,
        durationMs: finishedAt - startedAt,
        costUsd: fields.costUsd,
        inputTokens: fields.inputTokens,
        outputTokens: fields.outputTokens,
        model: fields.model,
        ...(error === undefined ? {} : { error }),
      });
    });
    this.commits = committed.catch(() => {});
    return committed;
  }
}
