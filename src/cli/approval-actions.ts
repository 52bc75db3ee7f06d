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

export async function runApprove(
  context: CliContext,
  id: string,
  flags: { comment?: string },
): Promise<number> {
  const approval = await approve(await context.store(), id, {
    actor: context.actor,
    ...(flags.comment === undefined ? {} : { comment: flags.comment }),
  });
  if (context.options.json) context.printJson({ success: true, approval: approvalJson(approval) });
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
  if (context.options.json) context.printJson({ success: true, approval: approvalJson(approval) });
  else context.print(`Rejected ${approval.title} (run ${approval.runId}).`);
  return EXIT_OK;
}
