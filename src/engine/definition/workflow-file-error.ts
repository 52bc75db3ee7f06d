import { formatConfigIssue } from "../../config/index.js";
import { errorMarker, hasErrorMarker, OrkestraError } from "../../errors/index.js";
import type { WorkflowIssue } from "./workflow-issue.js";

const marker = errorMarker("WorkflowFileError");

export interface WorkflowFileErrorOptions {
  /** `workflow.invalid`, `workflow.syntax`, `workflow.empty`, `workflow.unreadable`, `workflow.not_found`. */
  code?: string;
  /** The file as shown in messages. */
  file: string;
  issues: readonly WorkflowIssue[];
  hint?: string;
  cause?: unknown;
}

/**
 * A workflow file (or TypeScript definition) cannot be run. Carries every problem found, one line
 * each with file, line, key path and the fix, so the whole file is fixed in one go. Exit code 2.
 */
export class WorkflowFileError extends OrkestraError {
  readonly [marker] = true;
  readonly file: string;
  readonly issues: readonly WorkflowIssue[];

  constructor(options: WorkflowFileErrorOptions) {
    super(options.issues.map((issue) => formatConfigIssue(issue, issue.file)).join("\n"), {
      code: options.code ?? "workflow.invalid",
      hint: options.hint ?? "Fix the problems listed; `orkestra graph <file>` checks a workflow.",
      cause: options.cause,
      invalidInput: true,
    });
    this.name = "WorkflowFileError";
    this.file = options.file;
    this.issues = options.issues;
  }

  static override isInstance(error: unknown): error is WorkflowFileError {
    return hasErrorMarker(error, marker);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), file: this.file, issues: this.issues };
  }
}
