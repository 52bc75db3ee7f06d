import type { IssueDraft } from "../../config/index.js";
import type { StateChannel } from "../workflow-definition.js";
import type { StepGraph, StepOutline } from "./check-step-graph.js";

/**
 * A state key that two steps able to run at once both write needs a merging reducer: with
 * `replace` one write would be lost, and which one would depend on timing. Checked here, at
 * load, so it is never discovered at run time. A step and its fallback never both run.
 */
export function checkParallelWrites(
  outlines: readonly StepOutline[],
  channels: readonly Pick<StateChannel, "name" | "reducer">[],
  { graph, ancestry }: StepGraph,
  drafts: IssueDraft[],
): void {
  for (const channel of channels) {
    if (isMerging(channel.reducer)) continue;
    const writers = outlines.flatMap((outline, index) =>
      outline.writes.includes(channel.name) && graph.indexOf.get(outline.id) === index
        ? [index]
        : [],
    );
    for (let second = 1; second < writers.length; second += 1) {
      for (let first = 0; first < second; first += 1) {
        const left = writers[first] as number;
        const right = writers[second] as number;
        if (!ancestry.canRunConcurrently(left, right) || isFallbackPair(outlines, left, right)) {
          continue;
        }
        const leftId = outlines[left]?.id ?? "?";
        const rightId = outlines[right]?.id ?? "?";
        drafts.push({
          path: ["steps", rightId, "writes", channel.name],
          target: "key",
          summary: `${leftId} and ${rightId} can run at the same time and both write state.${channel.name}, whose reducer replace keeps one write only`,
          expected: `a merging reducer for ${channel.name} (append, merge, sum, max, min), or ${rightId} needing ${leftId}`,
        });
        break;
      }
    }
  }
}

function isMerging(reducer: StateChannel["reducer"]): boolean {
  return typeof reducer === "string" ? reducer !== "replace" : reducer.merging;
}

function isFallbackPair(outlines: readonly StepOutline[], left: number, right: number): boolean {
  const leftOutline = outlines[left];
  const rightOutline = outlines[right];
  return leftOutline?.onFailure === rightOutline?.id || rightOutline?.onFailure === leftOutline?.id;
}
