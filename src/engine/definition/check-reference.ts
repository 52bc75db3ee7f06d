import { didYouMean } from "../../config/index.js";
import { SCOPE_ROOTS, STEP_VIEW_FIELDS } from "./cel-environment.js";
import type { CelReference } from "./cel-references.js";
import type { ReferenceContext, ReferenceProblem } from "./reference-context.js";

/**
 * Checks one reference against the workflow: unknown inputs, state keys, steps and step fields,
 * and steps that have not ended when the reader runs (not upstream of it).
 */
export function checkReference(
  reference: CelReference,
  context: ReferenceContext,
): ReferenceProblem | undefined {
  const { root, segments } = reference;
  const [first, second] = segments;
  switch (root) {
    case "inputs":
      return first === undefined
        ? undefined
        : memberOf("inputs", first, context.inputs, "an input");
    case "state":
      return first === undefined
        ? undefined
        : memberOf("state", first, context.state, "a state key");
    case "iteration":
      return first === undefined
        ? undefined
        : { summary: `iteration is a number, it has no field ${JSON.stringify(first)}` };
    case "output":
      if (!context.allowOutput) {
        return { summary: "output is only known in the step's own `writes`" };
      }
      return stepFields("output", segments, context.objectFields.get(context.stepId ?? ""));
    case "steps":
      if (first === undefined) return undefined;
      return stepReference("steps", first, segments.slice(1), context, true);
    case "previous":
      if (first === undefined) return undefined;
      if (first === "steps") {
        if (second === undefined) return undefined;
        return stepReference("previous.steps", second, segments.slice(2), context, false);
      }
      if (first === "state") {
        return second === undefined
          ? undefined
          : memberOf("previous.state", second, context.state, "a state key");
      }
      return withSuggestion(
        { summary: `previous.${first} is not known`, expected: "previous.steps or previous.state" },
        first,
        ["steps", "state"],
      );
    default: {
      const roots = SCOPE_ROOTS.filter((name) => name !== "output" || context.allowOutput);
      return withSuggestion(
        { summary: `unknown name ${JSON.stringify(root)}`, expected: `one of ${roots.join(", ")}` },
        root,
        roots,
      );
    }
  }
}

function stepReference(
  prefix: string,
  stepId: string,
  fields: readonly string[],
  context: ReferenceContext,
  mustBeUpstream: boolean,
): ReferenceProblem | undefined {
  if (!context.steps.has(stepId)) {
    return withSuggestion({ summary: `${prefix}.${stepId} is not a step` }, stepId, context.steps);
  }
  if (mustBeUpstream && context.isUpstream !== undefined && !context.isUpstream(stepId)) {
    if (stepId === context.stepId) {
      return {
        summary: `${prefix}.${stepId} is the step itself`,
        expected: "output in its writes (a step cannot read its own result elsewhere)",
      };
    }
    const reader = context.stepId ?? "this step";
    return {
      summary: `${prefix}.${stepId} is not upstream of ${reader}`,
      expected: `${stepId} in the needs of ${reader} (directly or through another step), so it has ended first`,
    };
  }
  return stepFields(`${prefix}.${stepId}`, fields, context.objectFields.get(stepId));
}

function stepFields(
  prefix: string,
  fields: readonly string[],
  objectFields: ReadonlySet<string> | undefined,
): ReferenceProblem | undefined {
  const [field, objectField] = fields;
  if (field === undefined) return undefined;
  if (!(STEP_VIEW_FIELDS as readonly string[]).includes(field)) {
    return withSuggestion(
      {
        summary: `${prefix}.${field} is not a field of a step`,
        expected: `one of ${STEP_VIEW_FIELDS.join(", ")}`,
      },
      field,
      STEP_VIEW_FIELDS,
    );
  }
  if (field === "object" && objectField !== undefined && objectFields !== undefined) {
    if (!objectFields.has(objectField)) {
      return withSuggestion(
        { summary: `${prefix}.object.${objectField} is not a field of the step's schema` },
        objectField,
        objectFields,
      );
    }
  }
  return undefined;
}

function memberOf(
  prefix: string,
  name: string,
  known: ReadonlySet<string>,
  noun: string,
): ReferenceProblem | undefined {
  if (known.has(name)) return undefined;
  const none =
    known.size === 0 ? ` (the workflow declares none under \`${prefix.split(".").at(-1)}:\`)` : "";
  return withSuggestion({ summary: `${prefix}.${name} is not ${noun}${none}` }, name, known);
}

function withSuggestion(
  problem: ReferenceProblem,
  name: string,
  candidates: Iterable<string>,
): ReferenceProblem {
  const suggestion = didYouMean(name, candidates);
  return suggestion === undefined ? problem : { ...problem, suggestion };
}
