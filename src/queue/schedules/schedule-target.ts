import type { ScheduleInput, ScheduleTaskConfig } from "../../config/schedules-schema.js";

/** What a schedule's tick enqueues. */
export type ScheduleTarget =
  | {
      kind: "workflow";
      /** The workflow file as configured, relative to the workspace directory. */
      workflow: string;
      inputs: Readonly<Record<string, unknown>>;
    }
  | { kind: "task"; task: ScheduleTaskConfig };

/** The target of a validated schedule (exactly one of `workflow` and `task` is set). */
export function scheduleTarget(schedule: ScheduleInput): ScheduleTarget {
  if (schedule.workflow !== undefined) {
    return { kind: "workflow", workflow: schedule.workflow, inputs: schedule.inputs ?? {} };
  }
  if (schedule.task !== undefined) return { kind: "task", task: schedule.task };
  throw new Error("a validated schedule has a workflow or a task");
}
