import type { EvaluationScope, LoopSpec, LoopStopReason } from "../workflow-definition.js";

/** Where a run stands at the end of an iteration, for deciding whether its loop goes on. */
export interface IterationStanding {
  iteration: number;
  scope: EvaluationScope;
  score: number | null;
  /** Scores of the iterations before, by iteration. */
  scores: readonly (number | null)[];
  spentUsd: number;
  budgetUsd: number | null;
  deadlineAt: number | null;
}

/** Why the loop stops after this iteration, or null when it goes on. */
export function loopStopReason(
  loop: LoopSpec | undefined,
  standing: IterationStanding,
): LoopStopReason | null {
  const { iteration, scope, score } = standing;
  if (!loop) return "no_loop";
  if (loop.until?.evaluate(scope)) return "until";
  if (iteration + 1 >= loop.maxIterations) return "max_iterations";
  if (loop.noImprovement !== undefined && score !== null) {
    const earlier = standing.scores
      .slice(0, iteration)
      .filter((value): value is number => typeof value === "number");
    const best = Math.max(
      ...earlier.slice(0, Math.max(0, earlier.length - loop.noImprovement + 1)),
    );
    const recent = [...earlier.slice(-(loop.noImprovement - 1)), score].slice(-loop.noImprovement);
    if (earlier.length >= loop.noImprovement && recent.every((value) => value <= best))
      return "no_improvement";
  }
  if (standing.budgetUsd !== null && standing.spentUsd >= standing.budgetUsd) return "budget";
  if (standing.deadlineAt !== null && Date.now() >= standing.deadlineAt) return "deadline";
  return null;
}
