// The manuscript review of manuscript-review.yaml, in TypeScript through the public API:
//   orkestra run examples/workflow.ts --input manuscript="..."
// Six readers assess the manuscript at once; a synthesis scores it from 0 to 1; the loop goes
// round again, with the last verdict as feedback, until the score passes.
// `import ... from "orkestra"` is the package referring to itself (its exports map → dist/), so
// in this repository run `npm run build` first; in a project that installed orkestra it just works.
// Every step runs on REVIEW_MODEL, by default `sim`, the built-in simulated model (there when
// orkestra.yaml configures no models and no provider key is set).
import { type EvaluationScope, workflow } from "orkestra";
import { z } from "zod";

const model = process.env.REVIEW_MODEL ?? "sim";

const ASPECTS = {
  structure: "Assess the structure of this manuscript (acts, chapters, arcs):",
  characters: "Assess the characters (motivation, voice, growth) of:",
  pacing: "Assess the pacing (where it drags, where it rushes) of:",
  style: "Assess the prose style of:",
  consistency: "List inconsistencies (names, dates, facts) in:",
  market_fit: "Assess the market fit (genre, audience, comparable titles) of:",
} as const;
type Aspect = keyof typeof ASPECTS;
const aspects = Object.keys(ASPECTS) as Aspect[];

/** Each reader's review goes into the `findings` channel. */
const writeFinding = { findings: (scope: EvaluationScope) => scope.output?.text };

function review(aspect: Aspect) {
  return {
    model,
    prompt: (scope: EvaluationScope) => `${ASPECTS[aspect]}\n${String(scope.inputs.manuscript)}`,
    writes: writeFinding,
  };
}

function synthesisPrompt(scope: EvaluationScope): string {
  const reviews = aspects.map((aspect) => `${aspect}: ${scope.steps[aspect]?.text ?? "(none)"}`);
  return [
    "You are the editor. Combine these reviews into one verdict with a score from 0 to 1.",
    `Iteration ${scope.iteration}; your last verdict was:`,
    scope.previous?.steps.synthesis?.text ?? "(none yet)",
    "",
    ...reviews,
  ].join("\n");
}

export default workflow("manuscript-review-ts")
  .options({
    description: "Parallel reviews of a manuscript, a scored synthesis, repeated until it passes.",
    concurrency: 6,
  })
  .input("manuscript", { type: "string", description: "the text to review" })
  .state("findings", { reducer: "append", scope: "iteration" })
  .state("score", { reducer: "replace", scope: "iteration" })
  .prompt("structure", review("structure"))
  .prompt("characters", review("characters"))
  .prompt("pacing", review("pacing"))
  .prompt("style", review("style"))
  .prompt("consistency", review("consistency"))
  .prompt("market_fit", review("market_fit"))
  .prompt("synthesis", {
    needs: aspects,
    model,
    timeoutMs: 120_000,
    retries: 2,
    schema: z.object({ score: z.number().min(0).max(1), summary: z.string() }),
    prompt: synthesisPrompt,
    writes: {
      score: (scope) => (scope.output?.object as { score: number } | undefined)?.score,
    },
  })
  .loop({
    until: (scope) => Number(scope.state.score) >= 0.8,
    maxIterations: 3,
    noImprovement: 2,
    score: (scope) => Number(scope.state.score),
  });
