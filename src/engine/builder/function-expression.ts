import type { EvaluationScope, Expression, Template } from "../workflow-definition.js";

/** What a builder function receives: the evaluation scope (inputs, state, steps, iteration, …). */
export type ScopeFunction<T> = (scope: EvaluationScope) => T;

export function functionExpression<T>(evaluate: ScopeFunction<T>): Expression<T> {
  return { source: "<function>", evaluate };
}

/** A template from text (used as is) or a function of the scope. */
export function functionTemplate(value: string | ScopeFunction<unknown>): Template {
  if (typeof value === "string") {
    return { source: value, render: () => value, resolve: () => value };
  }
  return {
    source: "<function>",
    render: (scope) => {
      const resolved = value(scope);
      return typeof resolved === "string" ? resolved : JSON.stringify(resolved ?? "");
    },
    resolve: value,
  };
}
