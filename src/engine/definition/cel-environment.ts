import { Environment } from "@marcbachmann/cel-js";
import type { EvaluationScope } from "../workflow-definition.js";

/** The names an expression or template may start with. `output` only in a step's `writes`. */
export const SCOPE_ROOTS = ["inputs", "state", "steps", "iteration", "previous", "output"] as const;

/** The fields of an ended step, as `steps.<id>.<field>` and `output.<field>` see them. */
export const STEP_VIEW_FIELDS = ["status", "text", "object", "output", "error"] as const;

let shared: Environment | undefined;

/**
 * One CEL environment for every workflow. Variables are `dyn` here because their shapes come
 * from each workflow: the loader checks the names against the workflow itself (see
 * `check-reference.ts`), which gives better messages than CEL's "unknown variable".
 */
export function celEnvironment(): Environment {
  shared ??= new Environment({
    unlistedVariablesAreDyn: true,
    homogeneousAggregateLiterals: false,
  });
  return shared;
}

/**
 * The scope as CEL values. CEL keeps ints and doubles apart: JavaScript numbers are doubles,
 * except `iteration` and inputs declared `integer`, which are ints (so `iteration + 1` works).
 * The first iteration sees an empty `previous`, so `has(previous.steps.draft)` is simply false.
 */
export function celContext(
  scope: EvaluationScope,
  integerInputs: ReadonlySet<string>,
): Record<string, unknown> {
  let inputs: Readonly<Record<string, unknown>> = scope.inputs;
  if (integerInputs.size > 0) {
    const converted: Record<string, unknown> = { ...scope.inputs };
    for (const name of integerInputs) {
      const value = converted[name];
      if (typeof value === "number" && Number.isInteger(value)) converted[name] = BigInt(value);
    }
    inputs = converted;
  }
  const context: Record<string, unknown> = {
    inputs,
    state: scope.state,
    steps: scope.steps,
    iteration: BigInt(scope.iteration),
    previous: scope.previous ?? { steps: {}, state: {} },
  };
  if (scope.output !== undefined) context.output = scope.output;
  return context;
}

/** A CEL result as plain JavaScript: ints become numbers, maps become objects. */
export function fromCelValue(value: unknown): unknown {
  if (typeof value === "bigint") {
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : value.toString();
  }
  if (Array.isArray(value)) return value.map(fromCelValue);
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([key, item]) => [String(key), fromCelValue(item)]));
  }
  if (typeof value === "object" && value !== null && !(value instanceof Uint8Array)) {
    const prototype = Object.getPrototypeOf(value);
    if (prototype === Object.prototype || prototype === null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, fromCelValue(item)]),
      );
    }
  }
  return value;
}

/** The first line of a cel-js error: its message also draws the source with a caret. */
export function celErrorSummary(error: unknown): string {
  const summary =
    typeof error === "object" && error !== null && "summary" in error
      ? String((error as { summary: unknown }).summary)
      : error instanceof Error
        ? error.message
        : String(error);
  const firstLine = summary.split("\n")[0] ?? summary;
  const text = firstLine.charAt(0).toLowerCase() + firstLine.slice(1);
  // `state.count + 1`: the commonest surprise of CEL, which never mixes ints and doubles.
  return /no such overload: .*(double.*int|int.*double)/.test(text)
    ? `${text} (numbers from state and steps are doubles in CEL: write 1.0, or convert with int(…))`
    : text;
}
