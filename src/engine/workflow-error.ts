import { OrkestraError } from "../errors/index.js";

export type WorkflowErrorCode =
  | "workflow.invalid"
  | "workflow.input"
  | "workflow.not_found"
  | "workflow.integrity"
  | "workflow.changed"
  | "workflow.state"
  | "workflow.lease_lost";

/**
 * A workflow that cannot be built, started or resumed as asked. `workflow.invalid` and
 * `workflow.input` are the user's to fix (exit 2); the others are failures of the run (exit 1).
 */
export class WorkflowError extends OrkestraError {
  constructor(
    message: string,
    options: { code: WorkflowErrorCode; hint?: string; cause?: unknown },
  ) {
    super(message, options);
    this.name = "WorkflowError";
  }
}
