import { errorMarker, hasErrorMarker, OrkestraError } from "../errors/index.js";

const marker = errorMarker("WorkflowError");

export type WorkflowErrorCode =
  | "workflow.invalid"
  | "workflow.input"
  | "workflow.not_found"
  | "workflow.integrity"
  | "workflow.changed"
  | "workflow.state"
  | "workflow.lease_lost"
  | "workflow.lease_held";

/** Codes that are the caller's to fix: the definition or the inputs given. Exit code 2. */
const INVALID_INPUT_CODES: ReadonlySet<WorkflowErrorCode> = new Set([
  "workflow.invalid",
  "workflow.input",
]);

/**
 * A workflow that cannot be built, started or resumed as asked. `workflow.invalid` and
 * `workflow.input` are the user's to fix (exit 2); the others are failures of the run (exit 1).
 */
export class WorkflowError extends OrkestraError {
  readonly [marker] = true;

  constructor(
    message: string,
    options: { code: WorkflowErrorCode; hint?: string; cause?: unknown },
  ) {
    super(message, { ...options, invalidInput: INVALID_INPUT_CODES.has(options.code) });
    this.name = "WorkflowError";
  }

  static override isInstance(error: unknown): error is WorkflowError {
    return hasErrorMarker(error, marker);
  }
}
