import { didYouMean, type IssueDraft, oneOf } from "../../config/index.js";
import { COMMON_STEP_KEYS, stepSchemas, type YamlStepKind } from "./workflow-file-schema.js";

/** Keys that name a step's kind; `prompt` only when none of the others is there (fanouts have one). */
const KIND_KEYS = ["fanout", "approval", "command", "workflow", "vote", "code"] as const;
const YAML_KINDS = Object.keys(stepSchemas) as YamlStepKind[];

/**
 * The kind of a step from its keys, or a draft saying why there is none: no kind key, two of
 * them, or a kind that YAML files cannot use.
 */
export function stepKind(
  stepId: string,
  body: Readonly<Record<string, unknown>>,
): { kind: YamlStepKind } | { problem: IssueDraft } {
  const path = ["steps", stepId];
  const present = KIND_KEYS.filter((key) => Object.hasOwn(body, key));
  if (present.length > 1) {
    return {
      problem: {
        path: [...path, present[1] as string],
        target: "key",
        summary: `a step has one kind, this one has ${present.join(" and ")}`,
        expected: "one of them: split it into two steps",
      },
    };
  }
  const [kind] = present;
  if (kind === "code") {
    return {
      problem: {
        path: [...path, "code"],
        target: "key",
        summary: "code steps are TypeScript only",
        expected: 'a workflow built with workflow("name").step(id, { run }) from "orkestra"',
      },
    };
  }
  if (kind !== undefined) return { kind };
  if (Object.hasOwn(body, "prompt")) return { kind: "prompt" };
  const unknown = Object.keys(body).filter((key) => !COMMON_STEP_KEYS.includes(key));
  const kindNames = [...YAML_KINDS];
  for (const key of unknown) {
    const suggestion = didYouMean(key, kindNames);
    if (suggestion !== undefined) {
      return {
        problem: {
          path: [...path, key],
          target: "key",
          summary: `unknown step kind "${key}"`,
          expected: oneOf(kindNames),
          suggestion,
        },
      };
    }
  }
  const [first] = unknown;
  return {
    problem:
      first === undefined
        ? {
            path,
            target: "key",
            summary: "the step has no kind",
            expected: `a key naming it: ${oneOf(kindNames)}`,
          }
        : {
            path: [...path, first],
            target: "key",
            summary: `unknown step kind "${first}"`,
            expected: oneOf(kindNames),
          },
  };
}
