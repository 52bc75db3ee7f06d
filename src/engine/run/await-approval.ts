import type { Store } from "../../store/index.js";
import { ensureApproval, expireApproval, findApproval } from "../approvals/approval-records.js";
import type { ApprovalOutcome } from "../steps/step-runner.js";
import type { RunClaim } from "../store/run-records.js";
import type { StepDefinition } from "../workflow-definition.js";
import { abortableDelay } from "./abortable-delay.js";
import type { RunEmitter } from "./run-events.js";
import type { WaitingSteps } from "./waiting-steps.js";

/** What waiting for a decision needs from the driver. */
export interface ApprovalWaitContext {
  store: Store;
  claim: RunClaim;
  events: RunEmitter;
  pollMs: number;
  /** The run's steps that wait for a person: the driver stops when only they remain. */
  waiting: WaitingSteps;
}

/**
 * Makes (or, after a resume, finds) the step's approval, sets the run `waiting`, and polls until
 * a person decides or its timeout rejects it; an abort of `signal` stops the wait.
 */
export async function awaitApproval(
  run: ApprovalWaitContext,
  step: StepDefinition,
  iteration: number,
  attemptId: string,
  request: { title: string; prompt: string; data: unknown; timeoutMs?: number },
  signal: AbortSignal,
): Promise<ApprovalOutcome> {
  const key = `${step.id}@${iteration}`;
  const now = Date.now();
  let approval = await ensureApproval(
    run.store,
    {
      run_id: run.claim.runId,
      step_id: step.id,
      iteration,
      title: request.title,
      prompt: request.prompt,
      data_json:
        request.data === null || request.data === undefined ? null : JSON.stringify(request.data),
      timeout_at: request.timeoutMs === undefined ? null : now + request.timeoutMs,
    },
    now,
  );
  if (approval.status === "pending") {
    await run.waiting.enter(key, attemptId);
    run.events.emit({
      type: "approval:waiting",
      runId: run.claim.runId,
      stepId: step.id,
      approvalId: approval.id,
      title: approval.title,
    });
    try {
      while (approval.status === "pending") {
        await expireApproval(run.store, approval, Date.now());
        approval = (await findApproval(run.store, approval.id)) ?? approval;
        if (approval.status !== "pending") break;
        await abortableDelay(run.pollMs, signal);
        if (signal.aborted) throw signal.reason;
      }
    } finally {
      await run.waiting.leave(key, attemptId, signal.aborted);
    }
  }
  const status = approval.status as "approved" | "rejected";
  run.events.emit({
    type: "approval:decided",
    runId: run.claim.runId,
    stepId: step.id,
    approvalId: approval.id,
    status,
    decidedBy: approval.decidedBy,
  });
  return {
    approvalId: approval.id,
    status,
    decidedBy: approval.decidedBy,
    comment: approval.comment,
  };
}
