import type { Store } from "../../store/index.js";
import type { RunTable, StepAttemptTable } from "../store/engine-tables.js";
import type {
  AttemptClaim,
  IterationEnd,
  RunEnd,
  RunWrite,
  RunWriteResult,
} from "../store/run-batch.js";
import { leaseLost, type RunClaim, type StepStatus } from "../store/run-records.js";
import type { StepDefinition } from "../workflow-definition.js";
import { type GroupCommitter, groupCommitterFor } from "./group-commit.js";
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

/** What else lands in the transaction of a write: claims of ready steps, an iteration's end, the run's end. */
export interface WriteExtras {
  claims?: readonly AttemptClaim[];
  iterationEnd?: IterationEnd;
  end?: RunEnd;
}

/** An attempt the driver identifies: which step, which iteration, which attempt. */
export interface AttemptIdentity {
  step: StepDefinition;
  iteration: number;
  attempt: number;
  attemptId: string;
  startedAt: number;
}

/**
 * The rows of a run as this process wrote them, kept for a run it created: its summary is
 * made from them instead of being read back (`trusted` turns false when someone else may
 * have written the run too, e.g. a cancel or a step waiting for a person).
 */
export interface RunMirror {
  run: RunTable;
  attempts: StepAttemptTable[];
  iterations: { iteration: number; score: number | null }[];
  trusted: boolean;
}

/**
 * A run's writes, one at a time and in order, through the store's group committer: claims,
 * attempt commits (each extending the integrity chain from the one before: parallel steps
 * finish in any order, the chain needs one), iteration ends and the run's end. A write the
 * fence refuses throws `workflow.lease_lost`. `step:end` is told once an attempt is durable.
 */
export class RunWriter {
  private commitSeq: number;
  private chainHead: string;
  /** Model spend of the committed attempts, USD. */
  costUsd: number;
  readonly mirror: RunMirror | undefined;
  private readonly attemptRows = new Map<string, StepAttemptTable>();
  private tail: Promise<unknown> = Promise.resolve();
  private readonly committer: GroupCommitter;
  private readonly claim: RunClaim;
  private readonly events: RunEmitter;

  constructor(store: Store, claim: RunClaim, events: RunEmitter, run: RunTable, mirror: boolean) {
    this.committer = groupCommitterFor(store);
    this.claim = claim;
    this.events = events;
    this.commitSeq = Number(run.commit_count);
    this.chainHead = run.state_hash;
    this.costUsd = Number(run.cost_usd);
    this.mirror = mirror
      ? { run: { ...run }, attempts: [], iterations: [], trusted: true }
      : undefined;
  }

  /** Inserts the run this process created, claimed, with the claims of its first steps. */
  insert(row: RunTable, claims: readonly AttemptClaim[]): Promise<void> {
    return this.enqueue(async () => {
      await this.submit({ claim: this.claim, insert: row, claims });
      this.mirrorClaims(claims);
    });
  }

  /** Claims attempts on their own (a retry, a resumed run's steps, a new iteration's first steps). */
  claimAttempts(claims: readonly AttemptClaim[]): Promise<void> {
    return this.enqueue(async () => {
      await this.submit(this.fenced({ claims }));
      this.mirrorClaims(claims);
    });
  }

  /** Commits an ended attempt, with what else its transaction carries; resolves to the run's status after it. */
  commit(
    identity: AttemptIdentity,
    fields: CommitFields,
    extras: WriteExtras = {},
  ): Promise<string> {
    return this.enqueue(async () => {
      const { step, iteration, attempt, attemptId, startedAt } = identity;
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
      const commit = { attemptId, finishedAt, commitSeq, chainHash: hash, ...fields };
      const status = await this.submit(
        this.fenced({ commit, claims: extras.claims ?? [], ...this.ending(extras) }),
      );
      this.commitSeq = commitSeq;
      this.chainHead = hash;
      this.costUsd += fields.costUsd;
      this.mirrorCommit(commit);
      this.mirrorClaims(extras.claims ?? []);
      this.mirrorEnding(extras, status);
      this.events.emit({
        type: "step:end",
        runId: this.claim.runId,
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
        ...(fields.errorJson === null
          ? {}
          : { error: String((JSON.parse(fields.errorJson) as { message: unknown }).message) }),
      });
      return status;
    });
  }

  /** Ends an iteration and/or the run without a commit; resolves to the run's status after it. */
  finish(extras: Pick<WriteExtras, "iterationEnd" | "end">): Promise<string> {
    return this.enqueue(async () => {
      const status = await this.submit(this.fenced({ claims: [], ...this.ending(extras) }));
      this.mirrorEnding(extras, status);
      return status;
    });
  }

  /** Someone else writes the run too (a step waits for a person): read it back for its summary. */
  distrustMirror(): void {
    if (this.mirror) this.mirror.trusted = false;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work);
    this.tail = next.catch(() => {});
    return next;
  }

  private fenced(write: Omit<RunWrite, "claim" | "fence">): RunWrite {
    return {
      claim: this.claim,
      fence: { commitCount: this.commitSeq, chainHead: this.chainHead },
      ...write,
    };
  }

  private ending(extras: WriteExtras): Pick<RunWrite, "iterationEnd" | "end"> {
    return {
      ...(extras.iterationEnd ? { iterationEnd: extras.iterationEnd } : {}),
      ...(extras.end ? { end: extras.end } : {}),
    };
  }

  private async submit(write: RunWrite): Promise<string> {
    const result: RunWriteResult = await this.committer.submit(write);
    if (!result.written) throw leaseLost(this.claim);
    return result.status;
  }

  private mirrorClaims(claims: readonly AttemptClaim[]): void {
    if (!this.mirror) return;
    for (const claim of claims) {
      const row: StepAttemptTable = {
        ...claim,
        run_id: this.claim.runId,
        status: "running",
        output_json: null,
        delta_json: null,
        error_json: null,
        finished_at: null,
        input_tokens: 0,
        output_tokens: 0,
        cost_usd: 0,
        model: null,
        lease_owner: this.claim.owner,
        fencing_token: this.claim.token,
        commit_seq: null,
        chain_hash: null,
      };
      this.attemptRows.set(claim.id, row);
      this.mirror.attempts.push(row);
    }
  }

  private mirrorCommit(
    commit: {
      attemptId: string;
      finishedAt: number;
      commitSeq: number;
      chainHash: string;
    } & CommitFields,
  ): void {
    if (!this.mirror) return;
    const run = this.mirror.run;
    run.commit_count = commit.commitSeq;
    run.state_hash = commit.chainHash;
    run.cost_usd = this.costUsd;
    const row = this.attemptRows.get(commit.attemptId);
    if (!row) {
      this.mirror.trusted = false;
      return;
    }
    Object.assign(row, {
      status: commit.status,
      output_json: commit.outputJson,
      delta_json: commit.deltaJson,
      error_json: commit.errorJson,
      finished_at: commit.finishedAt,
      input_tokens: commit.inputTokens,
      output_tokens: commit.outputTokens,
      cost_usd: commit.costUsd,
      model: commit.model,
      commit_seq: commit.commitSeq,
      chain_hash: commit.chainHash,
    });
  }

  private mirrorEnding(extras: WriteExtras, status: string): void {
    if (!this.mirror) return;
    const { run } = this.mirror;
    const { iterationEnd, end } = extras;
    if (iterationEnd) {
      this.mirror.iterations.push({ iteration: iterationEnd.iteration, score: iterationEnd.score });
      if (iterationEnd.next) run.iteration = iterationEnd.iteration + 1;
    }
    if (!end) return;
    // Another process ended the run first (a cancel): its fields stand, and this one does not know them.
    if (status !== end.status || end.status === "cancelled") this.mirror.trusted = false;
    run.status = status;
    run.stop_reason = end.stopReason;
    run.error_json = end.errorJson;
    run.state_json = end.stateJson;
    if (end.finishedAt !== null) run.finished_at = end.finishedAt;
    run.lease_owner = null;
    run.lease_expires_at = null;
  }
}
