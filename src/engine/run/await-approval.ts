import type { Store } from "../../store/index.js";
import { ensureApproval, expireApproval, findApproval } from "../approvals/approval-records.js";
import type { ApprovalOutcome } from "../steps/step-runner.js";
import { markAttempt, type RunClaim, updateRun } from "../store/run-records.js";
import type { StepDefinition } from "../workflow-definition.js";
import { abortableDelay } from "./abortable-delay.js";
import type { RunEmitter } from "./run-events.js";

/** What waiting for a decision needs from the driver. */
export interface ApprovalWaitContext {
  store: Store;
  claim: RunClaim;
  events: RunEmitter;
  pollMs: number;
  /** `<step>@<iteration>` of the approvals being waited for: the driver stops when only they remain. */
  waitingApprovals: Set<string>;
  /** Tells the driver to look at its steps again. */
  wakeUp: () => void;
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
    await markAttempt(run.store, attemptId, "waiting");
    run.waitingApprovals.add(key);
    await updateRun(run.store, run.claim, { status: "waiting" });
    run.events.emit({
      type: "approval:waiting",
      runId: run.claim.runId,
      stepId: step.id,
      approvalId: approval.id,
      title: approval.title,
    });
    run.wakeUp();
    try {
      while (approval.status === "pending") {
        await expireApproval(run.store, approval, Date.now());
        approval = (await findApproval(run.store, approval.id)) ?? approval;
        if (approval.status !== "pending") break;
        await abortableDelay(run.pollMs, signal);
        if (signal.aborted) throw signal.reason;
      }
    } finally {
      run.waitingApprovals.delete(key);
      if (run.waitingApprovals.size === 0 && !signal.aborted)
        await updateRun(run.store, run.claim, { status: "running" });
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
