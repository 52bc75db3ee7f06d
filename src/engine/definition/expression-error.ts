import { errorMarker, hasErrorMarker, OrkestraError } from "../../errors/index.js";

const marker = errorMarker("ExpressionError");

/**
 * A CEL expression or template failed at run time (a missing key, a type mismatch, a `when`
 * that gave no boolean). The work failed: exit code 1.
 */
export class ExpressionError extends OrkestraError {
  readonly [marker] = true;
  /** Where the expression sits: `steps.polish.when`, `loop.until`. */
  readonly keyPath: string;
  readonly expression: string;
  /** What went wrong, without the location. */
  readonly problem: string;

  constructor(options: { keyPath: string; expression: string; problem: string; cause?: unknown }) {
    const { keyPath, expression, problem, cause } = options;
    super(`${keyPath}: ${problem} (in ${expression})`, {
      code: "workflow.expression",
      hint: "Guard optional values with has(…), e.g. has(state.score) && state.score > 0.5.",
      cause,
    });
    this.name = "ExpressionError";
    this.keyPath = keyPath;
    this.expression = expression;
    this.problem = problem;
  }

  static override isInstance(error: unknown): error is ExpressionError {
    return hasErrorMarker(error, marker);
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      keyPath: this.keyPath,
      expression: this.expression,
      problem: this.problem,
    };
  }
}
