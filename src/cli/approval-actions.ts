import { type Approval, approve, listApprovals, reject } from "../engine/index.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";
import { formatTable } from "./format-table.js";
import { isoTime, tableTime } from "./iso-time.js";

/** An approval in `--json` output: its times as ISO strings. */
function approvalJson(approval: Approval): Record<string, unknown> {
  return {
    ...approval,
    createdAt: isoTime(approval.createdAt),
    decidedAt: isoTime(approval.decidedAt),
    timeoutAt: isoTime(approval.timeoutAt),
  };
}

export async function runApprovals(context: CliContext): Promise<number> {
  const approvals = await listApprovals(await context.store());
  if (context.options.json) {
    context.printJson({ success: true, approvals: approvals.map(approvalJson) });
    return EXIT_OK;
  }
  if (approvals.length === 0) {
    context.print("No approvals are waiting.");
    return EXIT_OK;
  }
  context.print(
    formatTable(approvals, [
      { header: "ID", value: (approval) => approval.id },
      { header: "RUN", value: (approval) => approval.runId },
      { header: "STEP", value: (approval) => approval.stepId },
      { header: "TITLE", value: (approval) => approval.title },
      { header: "WAITING SINCE", value: (approval) => tableTime(approval.createdAt) },
      { header: "TIMES OUT", value: (approval) => tableTime(approval.timeoutAt) },
    ]),
  );
  for (const approval of approvals)
    context.print(`\n── ${approval.id}: ${approval.title}\n${approval.prompt}`);
  return EXIT_OK;
}

/**
 * A run started with `run --detach` has no process waiting on it: a worker drives it again,
 * through one more workflow task. Undefined for a run some process drives or resumes itself.
 */
async function continueDetached(
  context: CliContext,
  approval: Approval,
): Promise<{ taskId: string } | undefined> {
  const { continueDetachedRun } = await import("../engine/queue/index.js");
  return continueDetachedRun(await context.store(), approval.runId, `approval:${approval.id}`);
}

export async function runApprove(
  context: CliContext,
  id: string,
  flags: { comment?: string },
): Promise<number> {
  const approval = await approve(await context.store(), id, {
    actor: context.actor,
    ...(flags.comment === undefined ? {} : { comment: flags.comment }),
  });
  const continued = await continueDetached(context, approval);
  if (context.options.json)
    context.printJson({
      success: true,
      approval: approvalJson(approval),
      continuedBy: continued?.taskId ?? null,
    });
  else if (continued)
    context.print(
      `Approved ${approval.title} (run ${approval.runId}). A worker goes on with the run (task ${continued.taskId}).`,
    );
  else
    context.print(
      `Approved ${approval.title} (run ${approval.runId}). A run --wait process goes on by itself; otherwise: orkestra resume ${approval.runId}`,
    );
  return EXIT_OK;
}

export async function runReject(
  context: CliContext,
  id: string,
  flags: { reason: string },
): Promise<number> {
  const approval = await reject(await context.store(), id, {
    actor: context.actor,
    comment: flags.reason,
  });
  const continued = await continueDetached(context, approval);
  if (context.options.json)
    context.printJson({
      success: true,
      approval: approvalJson(approval),
      continuedBy: continued?.taskId ?? null,
    });
  else context.print(`Rejected ${approval.title} (run ${approval.runId}).`);
  return EXIT_OK;
}
