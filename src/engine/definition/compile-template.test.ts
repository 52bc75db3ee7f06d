import { describe, expect, it } from "vitest";
import type { EvaluationScope } from "../workflow-definition.js";
import { compileTemplate } from "./compile-template.js";
import { ExpressionError } from "./expression-error.js";
import type { ReferenceContext } from "./reference-context.js";

const references: ReferenceContext = {
  inputs: new Set(["manuscript", "rounds"]),
  state: new Set(["score", "findings"]),
  steps: new Set(["structure", "pacing", "synthesis"]),
  stepId: "synthesis",
  isUpstream: (id) => id === "structure",
  allowOutput: false,
  objectFields: new Map([["structure", new Set(["score", "summary"])]]),
};
const site = {
  keyPath: "steps.synthesis.prompt",
  context: references,
  integerInputs: new Set(["rounds"]),
};

const scope: EvaluationScope = {
  inputs: { manuscript: "It was a dark night.", rounds: 2 },
  state: { score: 0.75, findings: ["slow start", "good ending"] },
  steps: {
    structure: { status: "succeeded", text: "Three acts.", object: { score: 0.5, summary: "ok" } },
  },
  iteration: 2,
  previous: { steps: { synthesis: { status: "succeeded", text: "Needs work." } }, state: {} },
};

function compiled(source: string, context: ReferenceContext = references) {
  const result = compileTemplate(source, { ...site, context });
  if (result.template === undefined) throw new Error(JSON.stringify(result.problems));
  return result.template;
}

describe("templates", () => {
  it("renders inputs, steps, state, iteration and the previous iteration", () => {
    const template = compiled(
      "Review {{ inputs.manuscript }} after {{ steps.structure.text }} " +
        "(round {{ iteration }} of {{ inputs.rounds }}, score {{ state.score }}; " +
        "last time: {{ previous.steps.synthesis.text }})",
    );
    expect(template.render(scope)).toBe(
      "Review It was a dark night. after Three acts. (round 2 of 2, score 0.75; last time: Needs work.)",
    );
  });

  it("resolves a lone placeholder to the raw value, and renders structured values as JSON", () => {
    expect(compiled("{{ steps.structure.object.score }}").resolve(scope)).toBe(0.5);
    expect(compiled("  {{ state.findings }} ").resolve(scope)).toEqual([
      "slow start",
      "good ending",
    ]);
    expect(compiled("{{ iteration + 1 }}").resolve(scope)).toBe(3);
    expect(compiled("Findings: {{ state.findings }}").render(scope)).toBe(
      'Findings: [\n  "slow start",\n  "good ending"\n]',
    );
    expect(compiled("plain text").resolve(scope)).toBe("plain text");
  });

  it("takes CEL in a placeholder: conditions over the previous iteration", () => {
    const template = compiled(
      '{{ has(previous.steps.synthesis) ? previous.steps.synthesis.text : "none" }}',
    );
    expect(template.render(scope)).toBe("Needs work.");
    const { previous: _previous, ...firstIteration } = scope;
    expect(template.render({ ...firstIteration, iteration: 1 })).toBe("none");
  });

  it("names each wrong reference with the placeholder it is in and the closest name", () => {
    const problems = compileTemplate(
      "{{ steps.pacnig.text }} {{ inputs.manuscrpit }} {{ state.scroe }} {{ steps.structure.txt }} " +
        "{{ steps.structure.object.scor }} {{ stat.score }} {{ output.text }} {{ steps.pacing.text }}",
      site,
    ).problems;
    expect(problems).toEqual([
      { summary: "steps.pacnig is not a step in {{ steps.pacnig.text }}", suggestion: "pacing" },
      {
        summary: "inputs.manuscrpit is not an input in {{ inputs.manuscrpit }}",
        suggestion: "manuscript",
      },
      { summary: "state.scroe is not a state key in {{ state.scroe }}", suggestion: "score" },
      {
        summary: "steps.structure.txt is not a field of a step in {{ steps.structure.txt }}",
        expected: "one of status, text, object, output, error",
        suggestion: "text",
      },
      {
        summary:
          "steps.structure.object.scor is not a field of the step's schema in {{ steps.structure.object.scor }}",
        suggestion: "score",
      },
      {
        summary: 'unknown name "stat" in {{ stat.score }}',
        expected: "one of inputs, state, steps, iteration, previous",
        suggestion: "state",
      },
      { summary: "output is only known in the step's own `writes` in {{ output.text }}" },
      {
        summary: "steps.pacing is not upstream of synthesis in {{ steps.pacing.text }}",
        expected:
          "pacing in the needs of synthesis (directly or through another step), so it has ended first",
      },
    ]);
  });

  it("does not mistake a macro's variable for a workflow name", () => {
    const template = compiled('{{ state.findings.filter(f, f.startsWith("slow")) }}');
    expect(template.resolve(scope)).toEqual(["slow start"]);
  });

  it("reports unclosed and empty placeholders and CEL syntax errors", () => {
    expect(compileTemplate("Hello {{ inputs.manuscript", site).problems).toEqual([
      { summary: 'unclosed placeholder "{{ inputs.manuscript": end it with }}' },
    ]);
    expect(compileTemplate("Hello {{ }}", site).problems).toEqual([
      { summary: "empty placeholder {{ }}: write {{ inputs.name }} or similar" },
    ]);
    expect(compileTemplate("{{ state.score < }}", site).problems).toEqual([
      {
        summary: "invalid CEL at character 14: unexpected token: EOF in {{ state.score < }}",
        expected: "a CEL expression such as state.score >= 0.8 && iteration < 3",
      },
    ]);
  });

  it("fails at run time with the key path and the placeholder when a value is missing", () => {
    const template = compiled("{{ state.score }}");
    expect(() => template.render({ ...scope, state: {} })).toThrow(ExpressionError);
    expect(() => template.render({ ...scope, state: {} })).toThrow(
      "steps.synthesis.prompt: no such key: score (in {{ state.score }})",
    );
  });
});
