import { isMergingReducer, reducerName } from "../state/reducers.js";
import type { StepDefinition, WorkflowDefinition } from "../workflow-definition.js";
import { WorkflowError } from "../workflow-error.js";

/**
 * What the builder can check without a file: duplicate ids, unknown needs and fallbacks, cycles
 * (as the cycle's path), writes to unknown channels, and a channel with a non-merging reducer
 * written by two steps that may run at once. Throws one WorkflowError listing every problem.
 */
export function checkDefinition(definition: WorkflowDefinition): void {
  const problems: string[] = [];
  const byId = new Map<string, StepDefinition>();
  for (const step of definition.steps) {
    if (byId.has(step.id)) problems.push(`${step.path}: duplicate step id "${step.id}"`);
    byId.set(step.id, step);
  }
  const channels = new Map(definition.state.map((channel) => [channel.name, channel]));
  for (const step of definition.steps) {
    for (const need of step.needs) {
      if (!byId.has(need)) problems.push(`${step.path}.needs: "${need}" is not a step`);
    }
    if (step.onFailure.type === "fallback" && !byId.has(step.onFailure.step)) {
      problems.push(`${step.path}.onFailure: fallback "${step.onFailure.step}" is not a step`);
    }
    for (const channel of Object.keys(step.writes)) {
      if (!channels.has(channel))
        problems.push(`${step.path}.writes: "${channel}" is not a state channel`);
    }
  }
  const cycle = findCycle(definition.steps, byId);
  if (cycle) problems.push(`cycle: ${cycle.join(" → ")}`);
  else problems.push(...conflictingWrites(definition, byId));
  if (problems.length > 0) {
    throw new WorkflowError(
      `workflow "${definition.name}" (${definition.source}) is invalid:\n  ${problems.join("\n  ")}`,
      { code: "workflow.invalid" },
    );
  }
}

function findCycle(
  steps: readonly StepDefinition[],
  byId: ReadonlyMap<string, StepDefinition>,
): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (id: string): string[] | undefined => {
    if (onPath.has(id)) return [...path.slice(path.indexOf(id)), id];
    if (done.has(id)) return undefined;
    onPath.add(id);
    path.push(id);
    for (const need of byId.get(id)?.needs ?? []) {
      if (!byId.has(need)) continue;
      const cycle = visit(need);
      if (cycle) return cycle;
    }
    path.pop();
    onPath.delete(id);
    done.add(id);
    return undefined;
  };
  for (const step of steps) {
    const cycle = visit(step.id);
    if (cycle) return cycle.reverse();
  }
  return undefined;
}

/** Every step's transitive needs (the graph has no cycle). */
export function ancestorsOf(steps: readonly StepDefinition[]): Map<string, ReadonlySet<string>> {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const ancestors = new Map<string, Set<string>>();
  const of = (id: string): Set<string> => {
    const known = ancestors.get(id);
    if (known) return known;
    const result = new Set<string>();
    ancestors.set(id, result);
    for (const need of byId.get(id)?.needs ?? []) {
      result.add(need);
      for (const ancestor of of(need)) result.add(ancestor);
    }
    return result;
  };
  for (const step of steps) of(step.id);
  return ancestors;
}

function conflictingWrites(
  definition: WorkflowDefinition,
  byId: ReadonlyMap<string, StepDefinition>,
): string[] {
  const ancestors = ancestorsOf(definition.steps);
  const problems: string[] = [];
  for (const channel of definition.state) {
    if (isMergingReducer(channel)) continue;
    const writers = definition.steps.filter((step) => channel.name in step.writes);
    for (let first = 0; first < writers.length; first += 1) {
      for (let second = first + 1; second < writers.length; second += 1) {
        const a = writers[first] as StepDefinition;
        const b = writers[second] as StepDefinition;
        const ordered = ancestors.get(a.id)?.has(b.id) || ancestors.get(b.id)?.has(a.id);
        if (!ordered && byId.has(a.id)) {
          problems.push(
            `state.${channel.name}: steps "${a.id}" and "${b.id}" may run at once and both write it, but its reducer "${reducerName(channel)}" does not merge (use append, merge, sum, max, min, or make one need the other)`,
          );
        }
      }
    }
  }
  return problems;
}
