import { describeFound, didYouMean } from "../../config/index.js";
import type { InputSpec, InputType, WorkflowDefinition } from "../workflow-definition.js";
import { type InputIssue, WorkflowInputError } from "./workflow-input-error.js";

/**
 * The inputs of a run: the given values checked against the declared inputs, defaults added.
 * Strings (as `--input name=value` gives them) are converted to the declared type: numbers,
 * `true`/`false`, JSON for objects and arrays. Throws a WorkflowInputError with every problem:
 * unknown names, missing required inputs, values of the wrong type.
 */
export function resolveInputs(
  definition: Pick<WorkflowDefinition, "name" | "inputs" | "source">,
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const issues: InputIssue[] = [];
  const declared = definition.inputs.map((input) => input.name);
  for (const name of Object.keys(given)) {
    if (declared.includes(name)) continue;
    const issue: InputIssue = {
      input: name,
      message: `unknown input, expected ${declared.length === 0 ? "none (the workflow declares no inputs)" : `one of ${declared.join(", ")}`}`,
    };
    const suggestion = didYouMean(name, declared);
    if (suggestion !== undefined) {
      issue.suggestion = suggestion;
      issue.message += ` (did you mean "${suggestion}"?)`;
    }
    issues.push(issue);
  }
  const resolved: Record<string, unknown> = {};
  for (const input of definition.inputs) {
    if (!Object.hasOwn(given, input.name)) {
      if (input.default !== undefined) resolved[input.name] = input.default;
      else issues.push({ input: input.name, message: missingMessage(input) });
      continue;
    }
    const converted = convert(given[input.name], input.type);
    if ("problem" in converted) issues.push({ input: input.name, message: converted.problem });
    else resolved[input.name] = converted.value;
  }
  if (issues.length > 0) {
    throw new WorkflowInputError({ workflow: definition.name, source: definition.source, issues });
  }
  return resolved;
}

function missingMessage(input: InputSpec): string {
  const about = input.description === undefined ? "" : `: ${input.description}`;
  return `missing required input (${input.type}${about}); give it with --input ${input.name}=…`;
}

type Conversion = { value: unknown } | { problem: string };

function convert(value: unknown, type: InputType): Conversion {
  if (typeof value === "string" && type !== "string") return fromText(value, type);
  return matchesInputType(value, type)
    ? { value }
    : { problem: `found ${describeFound(value)}, expected ${describeInputType(type)}` };
}

function fromText(text: string, type: InputType): Conversion {
  const wrong = (): Conversion => ({
    problem: `found ${JSON.stringify(text)}, expected ${describeInputType(type)}`,
  });
  switch (type) {
    case "number":
    case "integer": {
      const number = text.trim() === "" ? Number.NaN : Number(text);
      return matchesInputType(number, type) ? { value: number } : wrong();
    }
    case "boolean":
      if (text === "true") return { value: true };
      if (text === "false") return { value: false };
      return wrong();
    default: {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return {
          problem: `found ${JSON.stringify(text)}, expected ${describeInputType(type)} written as JSON`,
        };
      }
      return matchesInputType(parsed, type) ? { value: parsed } : wrong();
    }
  }
}

/** Whether a value is of an input type, as given (no conversion from text). */
export function matchesInputType(value: unknown, type: InputType): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
  }
}

/** An input type in words: `a whole number`, `true or false`. */
export function describeInputType(type: InputType): string {
  switch (type) {
    case "integer":
      return "a whole number";
    case "object":
      return 'an object, such as {"key": "value"}';
    case "array":
      return 'an array, such as ["a", "b"]';
    case "boolean":
      return "true or false";
    default:
      return `a ${type}`;
  }
}
