import type { InputSpec, LoopSpec, StateChannel } from "../workflow-definition.js";
import type { DefinitionCompiler } from "./definition-compiler.js";
import type { ReferenceContext } from "./reference-context.js";
import type { WorkflowFile } from "./workflow-file-schema.js";

/** The declared inputs, the shorthand `name: type` expanded. */
export function readInputs(file: WorkflowFile | undefined): InputSpec[] {
  return Object.entries(file?.inputs ?? {}).map(([name, spec]) => {
    if (typeof spec === "string") return { name, type: spec };
    const input: InputSpec = { name, type: spec.type };
    if (spec.description !== undefined) input.description = spec.description;
    if (spec.default !== undefined) input.default = spec.default;
    return input;
  });
}

/**
 * The state channels; for a file that failed validation, best-effort channels read from the raw
 * mapping, so the parallel-writes check still runs and its problem is reported with the others.
 */
export function readChannels(file: WorkflowFile | undefined, raw: unknown): StateChannel[] {
  if (file !== undefined) {
    return Object.entries(file.state ?? {}).map(([name, spec]) => {
      if (typeof spec === "string") return { name, reducer: spec, scope: "run" };
      const channel: StateChannel = { name, reducer: spec.reducer, scope: spec.scope ?? "run" };
      if (spec.initial !== undefined) channel.initial = spec.initial;
      return channel;
    });
  }
  return Object.entries(isMapping(raw) ? raw : {}).flatMap(([name, spec]) => {
    const reducer = typeof spec === "string" ? spec : isMapping(spec) ? spec.reducer : undefined;
    return reducer === "replace"
      ? [{ name, reducer: "replace" as const, scope: "run" as const }]
      : [];
  });
}

/** The loop with its expressions compiled; problems go to the compiler. */
export function readLoop(
  file: WorkflowFile,
  compiler: DefinitionCompiler,
  references: ReferenceContext,
): LoopSpec | undefined {
  if (file.loop === undefined) return undefined;
  const { until, maxIterations, noImprovement, score } = file.loop;
  const loop: LoopSpec = { maxIterations };
  if (until !== undefined) {
    const compiled = compiler.condition(until, ["loop", "until"], references);
    if (compiled !== undefined) loop.until = compiled.expression;
  }
  if (score !== undefined) {
    const compiled = compiler.number(score, ["loop", "score"], references);
    if (compiled !== undefined) loop.score = compiled;
  }
  if (noImprovement !== undefined) {
    if (score === undefined) {
      compiler.problem({
        path: ["loop", "noImprovement"],
        summary: "noImprovement needs a score to compare",
        expected: 'a `score:` expression as well, such as score: "state.score"',
      });
    }
    loop.noImprovement = noImprovement;
  }
  return loop;
}

export function mappingKeys(value: unknown): string[] {
  return isMapping(value) ? Object.keys(value) : [];
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
