import type { StepKind, StepView } from "../workflow-definition.js";

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/**
 * What templates and later steps see of a committed output. Derived from the committed JSON
 * alone (never from in-memory values), so a resumed run sees exactly what the original saw.
 */
export function viewFromOutput(kind: StepKind, output: unknown): StepView {
  const view: StepView = { status: "succeeded", output };
  const set = (text: unknown, object: unknown): void => {
    if (typeof text === "string") view.text = text;
    if (object !== undefined && object !== null) view.object = object;
  };
  switch (kind) {
    case "prompt":
      set(field(output, "text"), field(output, "object"));
      break;
    case "fanout": {
      const answers = field(output, "answers");
      const text = Array.isArray(answers)
        ? answers
            .map(
              (answer) => `## ${String(field(answer, "model"))}\n${String(field(answer, "text"))}`,
            )
            .join("\n\n")
        : undefined;
      set(text, output);
      break;
    }
    case "command":
      set(field(output, "stdout"), output);
      break;
    case "approval":
      set(field(output, "comment"), output);
      break;
    case "workflow":
      set(undefined, field(output, "state"));
      break;
    case "vote":
      set(field(output, "winner") ?? "", output);
      break;
    default:
      set(output, output);
  }
  return view;
}
