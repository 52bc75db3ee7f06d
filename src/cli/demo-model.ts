import { BUILTIN_SIMULATED_ALIAS, didYouMean, type LoadedConfig } from "../config/index.js";
import type { StepDefinition, WorkflowDefinition } from "../engine/index.js";
import { UsageError } from "../errors/index.js";
import { workflowModelNames } from "./load-workflow.js";

/** The model alias the example workflows name: the built-in simulated model. */
export const EXAMPLE_MODEL = BUILTIN_SIMULATED_ALIAS;

/**
 * The model the demo runs every step on: `--model` when given; else `sim` when it exists (no
 * models configured and no provider key set, or a configured alias of that name); else the first
 * configured model or fallback chain (the first provider whose key is set, in zero-config).
 */
export function demoModel(loaded: LoadedConfig, requested: string | undefined): string {
  const names = workflowModelNames(loaded.config);
  if (requested !== undefined) {
    if (names.includes(requested)) return requested;
    const suggestion = didYouMean(requested, names);
    throw new UsageError(`--model ${requested}: no such model or fallback chain`, {
      hint: `Use one of ${names.join(", ")}${suggestion ? ` (did you mean ${suggestion}?)` : ""}; orkestra models list shows them.`,
    });
  }
  if (names.includes(EXAMPLE_MODEL)) return EXAMPLE_MODEL;
  const first = names[0];
  if (first === undefined) {
    throw new UsageError("no model to run the demo on", {
      hint: "Configure models: in orkestra.yaml, or remove the empty models: key for the built-in simulated model.",
    });
  }
  return first;
}

/** True when every model the alias can reach (itself, or each member of its chain) is simulated. */
export function isSimulated(loaded: LoadedConfig, alias: string): boolean {
  const { models, fallbacks } = loaded.config;
  const members = fallbacks[alias] ?? [alias];
  return members.every((member) => models[member]?.provider === "simulated");
}

function withModel(step: StepDefinition, model: string): StepDefinition {
  if (step.kind === "prompt" && step.model === EXAMPLE_MODEL) return { ...step, model };
  if (step.kind === "fanout") {
    return {
      ...step,
      models: step.models.map((name) => (name === EXAMPLE_MODEL ? model : name)),
    };
  }
  return step;
}

/** The workflow with every use of the example model `sim` replaced by `model`. */
export function onModel(definition: WorkflowDefinition, model: string): WorkflowDefinition {
  if (model === EXAMPLE_MODEL) return definition;
  return { ...definition, steps: definition.steps.map((step) => withModel(step, model)) };
}
