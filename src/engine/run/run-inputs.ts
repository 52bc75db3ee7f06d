import type { InputSpec, InputType, WorkflowDefinition } from "../workflow-definition.js";
import { WorkflowError } from "../workflow-error.js";

function matchesType(value: unknown, type: InputType): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
  }
}

/**
 * The run's inputs: the given ones checked against the definition, defaults filled in.
 * Unknown, missing and mistyped inputs are one WorkflowError (`workflow.input`) listing all.
 */
export function resolveInputs(
  definition: WorkflowDefinition,
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const problems: string[] = [];
  const known = new Set(definition.inputs.map((input) => input.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name))
      problems.push(
        `"${name}" is not an input of ${definition.name} (inputs: ${[...known].join(", ") || "none"})`,
      );
  }
  const inputs: Record<string, unknown> = {};
  for (const input of definition.inputs) {
    const value = given[input.name] ?? input.default;
    if (value === undefined) {
      problems.push(
        `input "${input.name}" (${input.type}) is required${input.description ? `: ${input.description}` : ""}`,
      );
    } else if (!matchesType(value, input.type)) {
      problems.push(`input "${input.name}" must be ${input.type}, got ${JSON.stringify(value)}`);
    } else {
      inputs[input.name] = value;
    }
  }
  if (problems.length > 0) {
    throw new WorkflowError(`${definition.source}: ${problems.join("; ")}`, {
      code: "workflow.input",
      hint: "Give inputs with --input name=value or --input-file inputs.json.",
    });
  }
  return inputs;
}

/** Turns `--input name=text` into the input's type: numbers, booleans, JSON for objects and arrays. */
export function parseInputText(spec: InputSpec | undefined, text: string): unknown {
  if (!spec || spec.type === "string") return text;
  if (spec.type === "boolean" && (text === "true" || text === "false")) return text === "true";
  if (spec.type === "number" || spec.type === "integer") {
    const number = Number(text);
    return text.trim() === "" || Number.isNaN(number) ? text : number;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
