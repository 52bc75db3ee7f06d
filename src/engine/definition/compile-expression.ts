import type { EvaluationScope, Expression } from "../workflow-definition.js";
import { celContext, celErrorSummary, fromCelValue } from "./cel-environment.js";
import { compileCel } from "./compile-cel.js";
import { ExpressionError } from "./expression-error.js";
import type { ReferenceContext, ReferenceProblem } from "./reference-context.js";

export type ExpressionResult = "boolean" | "number";

export interface CompiledExpression<T> {
  /** Undefined when there were problems. */
  expression?: Expression<T>;
  /** The value when the expression reads no variable and evaluated at load. */
  constantValue?: unknown;
  problems: ReferenceProblem[];
}

export interface ExpressionSite {
  /** `steps.polish.when`, `loop.until`: named by run-time errors. */
  keyPath: string;
  context: ReferenceContext;
  /** Names of inputs declared `integer` (CEL ints rather than doubles). */
  integerInputs: ReadonlySet<string>;
}

export function compileBooleanExpression(
  source: string,
  site: ExpressionSite,
): CompiledExpression<boolean> {
  return compileExpression(source, site, "boolean") as CompiledExpression<boolean>;
}

export function compileNumberExpression(
  source: string,
  site: ExpressionSite,
): CompiledExpression<number> {
  return compileExpression(source, site, "number") as CompiledExpression<number>;
}

/**
 * A CEL expression compiled once at load; evaluation checks the result type, so a `when` that
 * gives a string fails the run with the step and the expression named, instead of being truthy.
 */
function compileExpression(
  source: string,
  site: ExpressionSite,
  result: ExpressionResult,
): CompiledExpression<boolean | number> {
  const compiled = compileCel(source, site.context);
  const program = compiled.program;
  if (program === undefined || compiled.problems.length > 0) {
    return { problems: compiled.problems };
  }
  const run = (scope: EvaluationScope): boolean | number => {
    let value: unknown;
    try {
      value = fromCelValue(program(celContext(scope, site.integerInputs)));
    } catch (error) {
      throw new ExpressionError({
        keyPath: site.keyPath,
        expression: source,
        problem: celErrorSummary(error),
        cause: error,
      });
    }
    const problem = resultProblem(value, result);
    if (problem !== undefined) {
      throw new ExpressionError({ keyPath: site.keyPath, expression: source, problem });
    }
    return value as boolean | number;
  };
  const expression: Expression<boolean | number> = { source, evaluate: run };
  if (!compiled.constant) return { expression, problems: [] };
  try {
    const constantValue = run({ inputs: {}, state: {}, steps: {}, iteration: 1 });
    return { expression, constantValue, problems: [] };
  } catch (error) {
    const summary = ExpressionError.isInstance(error) ? error.problem : celErrorSummary(error);
    return { problems: [{ summary }] };
  }
}

function resultProblem(value: unknown, result: ExpressionResult): string | undefined {
  if (result === "boolean" && typeof value !== "boolean") {
    return `the expression gave ${describeValue(value)}, expected true or false`;
  }
  if (result === "number" && (typeof value !== "number" || !Number.isFinite(value))) {
    return `the expression gave ${describeValue(value)}, expected a number`;
  }
  return undefined;
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return `a string ${JSON.stringify(value)}`;
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  return `${typeof value} ${String(value)}`;
}
