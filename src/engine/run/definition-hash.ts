import { createHash } from "node:crypto";
import { reducerName } from "../state/reducers.js";
import type { StepDefinition, Template, WorkflowDefinition } from "../workflow-definition.js";

function templateSources(templates: Readonly<Record<string, Template>>): Record<string, string> {
  return Object.fromEntries(Object.entries(templates).map(([key, value]) => [key, value.source]));
}

function describeStep(step: StepDefinition): Record<string, unknown> {
  const common = {
    id: step.id,
    kind: step.kind,
    needs: step.needs,
    when: step.when?.source,
    writes: templateSources(step.writes),
    onFailure: step.onFailure,
  };
  switch (step.kind) {
    case "prompt":
      return { ...common, model: step.model, prompt: step.prompt.source };
    case "fanout":
      return { ...common, models: step.models, prompt: step.prompt.source };
    case "command":
      return { ...common, argv: step.argv.map((part) => part.source) };
    case "workflow":
      return { ...common, workflow: describeWorkflow(step.workflow) };
    case "vote":
      return {
        ...common,
        question: step.question.source,
        options: step.options.map((option) => option.source),
        members: step.members,
        method: step.method,
      };
    default:
      return common;
  }
}

function describeWorkflow(definition: WorkflowDefinition): Record<string, unknown> {
  return {
    name: definition.name,
    inputs: definition.inputs.map((input) => [input.name, input.type]),
    state: definition.state.map((channel) => [channel.name, reducerName(channel), channel.scope]),
    steps: definition.steps.map(describeStep),
    loop: definition.loop && {
      until: definition.loop.until?.source,
      score: definition.loop.score?.source,
      maxIterations: definition.loop.maxIterations,
    },
  };
}

/** Definitions are not changed once built: each is hashed once (a run starts with its hash). */
const hashes = new WeakMap<WorkflowDefinition, string>();

/**
 * sha256 of what decides how committed attempts are read: step ids, order, kinds, needs,
 * channels and their reducers. Functions count by their place, not their body, so editing a
 * code step's body does not block a resume; renaming or reordering steps does.
 */
export function definitionHash(definition: WorkflowDefinition): string {
  let hash = hashes.get(definition);
  if (hash === undefined) {
    hash = createHash("sha256")
      .update(JSON.stringify(describeWorkflow(definition)))
      .digest("hex");
    hashes.set(definition, hash);
  }
  return hash;
}
