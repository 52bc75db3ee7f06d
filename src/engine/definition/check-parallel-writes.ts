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

/**
 * A step that reads a state key while another step that can run at the same time writes it
 * would see either value, depending on timing: the writer must be upstream (or downstream) of
 * the reader. Loop expressions run between iterations and are not concerned.
 */
export function checkConcurrentReads(
  outlines: readonly StepOutline[],
  reads: ReadonlyMap<string, readonly { key: string; path: readonly (string | number)[] }[]>,
  { graph, ancestry }: StepGraph,
  drafts: IssueDraft[],
): void {
  for (const [readerId, readerReads] of reads) {
    const reader = graph.indexOf.get(readerId);
    if (reader === undefined) continue;
    for (const { key, path } of readerReads) {
      const writer = outlines.findIndex(
        (outline, index) =>
          index !== reader &&
          outline.writes.includes(key) &&
          graph.indexOf.get(outline.id) === index &&
          ancestry.canRunConcurrently(index, reader),
      );
      if (writer === -1) continue;
      const writerId = outlines[writer]?.id ?? "?";
      drafts.push({
        path,
        summary: `reads state.${key}, which ${writerId} writes and can run at the same time, so the value read would depend on timing`,
        expected: `${writerId} in the needs of ${readerId}, or ${readerId} in the needs of ${writerId}`,
      });
    }
  }
}
