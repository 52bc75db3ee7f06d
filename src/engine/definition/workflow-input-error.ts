import { errorMarker, hasErrorMarker, OrkestraError } from "../../errors/index.js";

const marker = errorMarker("WorkflowInputError");

/** One problem with the inputs given to a run. */
export interface InputIssue {
  /** The input's name as given or declared. */
  input: string;
  message: string;
  suggestion?: string;
}

/**
 * The inputs given to a run do not fit the workflow's declared inputs (missing, wrong type,
 * unknown name). Nothing was started. Exit code 2.
 */
export class WorkflowInputError extends OrkestraError {
  readonly [marker] = true;
  readonly workflow: string;
  readonly issues: readonly InputIssue[];

  constructor(options: { workflow: string; source: string; issues: readonly InputIssue[] }) {
    const { workflow, source, issues } = options;
    super(issues.map((issue) => `${source} inputs.${issue.input}: ${issue.message}`).join("\n"), {
      code: "workflow.input",
      invalidInput: true,
      hint: "Give inputs with --input name=value or --input-file inputs.json.",
    });
    this.name = "WorkflowInputError";
    this.workflow = workflow;
    this.issues = issues;
  }

  static override isInstance(error: unknown): error is WorkflowInputError {
    return hasErrorMarker(error, marker);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), workflow: this.workflow, issues: this.issues };
  }
}
