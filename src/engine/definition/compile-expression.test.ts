import { describe, expect, it } from "vitest";
import type { EvaluationScope } from "../workflow-definition.js";
import { compileBooleanExpression, compileNumberExpression } from "./compile-expression.js";
import type { ReferenceContext } from "./reference-context.js";

const context: ReferenceContext = {
  inputs: new Set(["strict"]),
  state: new Set(["score", "label"]),
  steps: new Set(["draft"]),
  allowOutput: false,
  objectFields: new Map(),
};
const site = { keyPath: "steps.polish.when", context, integerInputs: new Set<string>() };
const scope: EvaluationScope = {
  inputs: { strict: true },
  state: { score: 0.85, label: "good" },
  steps: { draft: { status: "succeeded", text: "A draft" } },
  iteration: 1,
};

describe("CEL expressions", () => {
  it("evaluates a when against the scope", () => {
    const compiled = compileBooleanExpression("state.score < 0.9 && inputs.strict", site);
    expect(compiled.problems).toEqual([]);
    expect(compiled.expression?.evaluate(scope)).toBe(true);
    expect(compiled.expression?.evaluate({ ...scope, state: { score: 0.95 } })).toBe(false);
    expect(compiled.expression?.source).toBe("state.score < 0.9 && inputs.strict");
  });

  it("compares numbers whatever their kind, and counts iterations as ints", () => {
    const atLeast = compileBooleanExpression("state.score >= 1 && iteration + 1 == 2", site);
    expect(atLeast.expression?.evaluate({ ...scope, state: { score: 1 } })).toBe(true);
  });

  it("explains CEL's ints and doubles when an expression mixes them", () => {
    const compiled = compileBooleanExpression("state.score + 1 > 2", site);
    expect(() => compiled.expression?.evaluate(scope)).toThrow(
      "steps.polish.when: no such overload: dyn<double> + int (numbers from state and steps are doubles in CEL: write 1.0, or convert with int(…)) (in state.score + 1 > 2)",
    );
  });

  it("fails at run time, naming the step and the expression, when a when gives no boolean", () => {
    const compiled = compileBooleanExpression("state.label", site);
    expect(() => compiled.expression?.evaluate(scope)).toThrow(
      'steps.polish.when: the expression gave a string "good", expected true or false (in state.label)',
    );
  });

  it("gives a loop score as a number, and fails for anything else", () => {
    const score = compileNumberExpression("state.score", { ...site, keyPath: "loop.score" });
    expect(score.expression?.evaluate(scope)).toBe(0.85);
    expect(compileNumberExpression("iteration * 2", site).expression?.evaluate(scope)).toBe(2);
    expect(() => score.expression?.evaluate({ ...scope, state: { score: "high" } })).toThrow(
      'loop.score: the expression gave a string "high", expected a number (in state.score)',
    );
  });

  it("reports syntax errors, unknown names and non-boolean constants at load", () => {
    expect(compileBooleanExpression("state.score <", site).problems).toEqual([
      {
        summary: "invalid CEL at character 14: unexpected token: EOF",
        expected: "a CEL expression such as state.score >= 0.8 && iteration < 3",
      },
    ]);
    expect(compileBooleanExpression("score > 1", site).problems).toEqual([
      {
        summary: 'unknown name "score"',
        expected: "one of inputs, state, steps, iteration, previous",
      },
    ]);
    expect(compileBooleanExpression('"yes"', site).problems).toEqual([
      { summary: 'the expression gave a string "yes", expected true or false' },
    ]);
  });

  it("knows the value of an expression that reads nothing", () => {
    expect(compileBooleanExpression("1 > 2", site).constantValue).toBe(false);
    expect(compileBooleanExpression("state.score > 2", site).constantValue).toBeUndefined();
  });

  it("never runs JavaScript: CEL has no access to globals", () => {
    const compiled = compileBooleanExpression('process.exit(1) == "x"', site);
    expect(compiled.problems[0]?.summary).toMatch(/^unknown name "process"/);
  });
});
