import { foldState, type StateDelta } from "../state/fold-state.js";
import type { StepAttemptTable } from "../store/engine-tables.js";
import type { WorkflowDefinition } from "../workflow-definition.js";

/**
 * A run's state at `iteration` as the fold of its committed deltas, for reading a run that is
 * still being driven (or whose process died): nothing but the commits is trusted, and an
 * attempt in flight counts only once it has committed.
 */
export function committedState(
  definition: WorkflowDefinition,
  attempts: readonly StepAttemptTable[],
  iteration: number,
): Record<string, unknown> {
  const stepIndex = new Map(definition.steps.map((step, index) => [step.id, index]));
  const deltas: StateDelta[] = [];
  for (const attempt of attempts) {
    const index = stepIndex.get(attempt.step_id);
    if (attempt.commit_seq === null || attempt.status !== "succeeded") continue;
    if (attempt.delta_json === null || index === undefined) continue;
    deltas.push({
      iteration: Number(attempt.iteration),
      stepIndex: index,
      writes: JSON.parse(attempt.delta_json) as Record<string, unknown>,
    });
  }
  return foldState(definition.state, deltas, iteration);
}
