import { randomUUID } from "node:crypto";
import type { Store } from "../../store/index.js";
import { engineDb } from "../store/engine-db.js";
import type { ApprovalTable } from "../store/engine-tables.js";
import { WorkflowError } from "../workflow-error.js";

export type ApprovalStatus = "pending" | "approved" | "rejected";

/** A request for a person's decision, as the approvals API gives it. */
export interface Approval {
  id: string;
  runId: string;
  stepId: string;
  iteration: number;
  title: string;
  prompt: string;
  data: unknown;
  status: ApprovalStatus;
  decidedBy: string | null;
  comment: string | null;
  createdAt: number;
  decidedAt: number | null;
  timeoutAt: number | null;
}

export function toApproval(row: ApprovalTable): Approval {
  return {
    id: row.id,
    runId: row.run_id,
    stepId: row.step_id,
    iteration: Number(row.iteration),
    title: row.title,
    prompt: row.prompt,
    data: row.data_json === null ? null : JSON.parse(row.data_json),
    status: row.status as ApprovalStatus,
    decidedBy: row.decided_by,
    comment: row.comment,
    createdAt: Number(row.created_at),
    decidedAt: row.decided_at === null ? null : Number(row.decided_at),
    timeoutAt: row.timeout_at === null ? null : Number(row.timeout_at),
  };
}

/** The approval of a step in an iteration: made once, found again after a resume. */
export async function ensureApproval(
  store: Store,
  values: Pick<
    ApprovalTable,
    "run_id" | "step_id" | "iteration" | "title" | "prompt" | "data_json" | "timeout_at"
  >,
  at: number,
): Promise<Approval> {
  const db = engineDb(store);
  await db
    .insertInto("approvals")
    .values({
      ...values,
      id: randomUUID(),
      status: "pending",
      decided_by: null,
      comment: null,
      created_at: at,
      decided_at: null,
    })
    .onConflict((conflict) => conflict.columns(["run_id", "step_id", "iteration"]).doNothing())
    .execute();
  const row = await db
    .selectFrom("approvals")
    .selectAll()
    .where("run_id", "=", values.run_id)
    .where("step_id", "=", values.step_id)
    .where("iteration", "=", values.iteration)
    .executeTakeFirstOrThrow();
  return toApproval(row);
}

export async function findApproval(store: Store, id: string): Promise<Approval | undefined> {
  const row = await engineDb(store)
    .selectFrom("approvals")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  return row && toApproval(row);
}

export interface ListApprovalsOptions {
  /** @defaultValue "pending" */
  status?: ApprovalStatus | "all";
  runId?: string;
}

export async function listApprovals(
  store: Store,
  options: ListApprovalsOptions = {},
): Promise<Approval[]> {
  let query = engineDb(store).selectFrom("approvals").selectAll().orderBy("created_at");
  const status = options.status ?? "pending";
  if (status !== "all") query = query.where("status", "=", status);
  if (options.runId) query = query.where("run_id", "=", options.runId);
  return (await query.execute()).map(toApproval);
}

export interface DecisionOptions {
  /** Who decided, for the audit trail. */
  actor: string;
  /** The approver's comment, or the rejection's reason. */
  comment?: string;
  /** @defaultValue Date.now() */
  at?: number;
}

/**
 * Approves or rejects a pending approval and records the decision on the audit trail. The run
 * goes on in the process that drives it (it polls), or with resumeRun. Deciding twice is an error.
 */
export async function decideApproval(
  store: Store,
  id: string,
  decision: "approved" | "rejected",
  options: DecisionOptions,
): Promise<Approval> {
  const at = options.at ?? Date.now();
  const updated = await engineDb(store)
    .updateTable("approvals")
    .set({
      status: decision,
      decided_by: options.actor,
      comment: options.comment ?? null,
      decided_at: at,
    })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  const approval = await findApproval(store, id);
  if (!approval) {
    throw new WorkflowError(`no approval "${id}"`, {
      code: "workflow.not_found",
      hint: "List pending approvals with: orkestra approvals",
    });
  }
  if (Number(updated.numUpdatedRows) === 0) {
    throw new WorkflowError(
      `approval ${id} was already ${approval.status} by ${approval.decidedBy}`,
      {
        code: "workflow.state",
      },
    );
  }
  await store.audit.append({
    actor: options.actor,
    action: decision === "approved" ? "approval:approve" : "approval:reject",
    resource: `run:${approval.runId}`,
    outcome: decision,
    data: {
      approval: id,
      step: approval.stepId,
      iteration: approval.iteration,
      comment: options.comment ?? null,
    },
  });
  return approval;
}

export function approve(store: Store, id: string, options: DecisionOptions): Promise<Approval> {
  return decideApproval(store, id, "approved", options);
}

export function reject(store: Store, id: string, options: DecisionOptions): Promise<Approval> {
  return decideApproval(store, id, "rejected", options);
}

/** Rejects, as actor `timeout`, a pending approval whose timeout has passed; true if it did. */
export async function expireApproval(
  store: Store,
  approval: Approval,
  at: number,
): Promise<boolean> {
  if (approval.status !== "pending" || approval.timeoutAt === null || at < approval.timeoutAt)
    return false;
  try {
    await decideApproval(store, approval.id, "rejected", {
      actor: "timeout",
      comment: "timed out",
      at,
    });
    return true;
  } catch (error) {
    if (WorkflowError.isInstance(error) && error.code === "workflow.state") return false;
    throw error;
  }
}
