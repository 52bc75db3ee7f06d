import { didYouMean, type IssueDraft, oneOf } from "../../config/index.js";
import { Ancestry } from "../graph/ancestry.js";
import { findCycles } from "../graph/find-cycles.js";
import { type IndexedGraph, indexGraph } from "../graph/indexed-graph.js";

/** A step as the graph checks see it, read from the file before the step itself is checked. */
export interface StepOutline {
  id: string;
  needs: readonly string[];
  /** `needs: a` (one name) rather than `needs: [a]`: decides the key path of a problem. */
  needsIsList: boolean;
  onFailure?: string;
  /** State keys the step writes. */
  writes: readonly string[];
}

export interface StepGraph {
  graph: IndexedGraph;
  ancestry: Ancestry;
}

/**
 * Unknown needs, cycles (as their path), and `onFailure` targets that are unknown or can never
 * run: a fallback step stands in for a failed step, so the failed step's dependents wait for
 * it; a fallback that itself waits on one of those dependents would wait forever.
 */
export function checkStepGraph(outlines: readonly StepOutline[], drafts: IssueDraft[]): StepGraph {
  const graph = indexGraph(outlines);
  const ids = outlines.map((outline) => outline.id);
  for (const unknown of graph.unknownNeeds) {
    const outline = outlines[graph.indexOf.get(unknown.step) ?? -1];
    const path = ["steps", unknown.step, "needs"];
    const draft: IssueDraft = {
      path: outline?.needsIsList ? [...path, unknown.position] : path,
      summary: `unknown step "${unknown.need}" in needs`,
      expected:
        ids.length <= 12 ? `a step of this workflow, ${oneOf(ids)}` : "a step of this workflow",
    };
    const suggestion = didYouMean(unknown.need, ids);
    if (suggestion !== undefined) draft.suggestion = suggestion;
    drafts.push(draft);
  }
  for (const cycle of findCycles(graph)) {
    drafts.push({
      path: ["steps", cycle[0] ?? "?", "needs"],
      summary: `cycle: ${cycle.join(" → ")}`,
      expected:
        "steps that do not need each other in a circle: remove one of these needs (use `loop:` to repeat steps)",
    });
  }
  const ancestry = new Ancestry(graph);
  outlines.forEach((outline, index) => {
    const target = outline.onFailure;
    if (target === undefined || target === "fail" || target === "continue") return;
    const path = ["steps", outline.id, "onFailure"];
    const targetIndex = graph.indexOf.get(target);
    if (targetIndex === undefined) {
      const draft: IssueDraft = {
        path,
        summary: `unknown step "${target}"`,
        expected: "fail, continue, or the id of a fallback step",
      };
      const suggestion = didYouMean(target, ["fail", "continue", ...ids]);
      if (suggestion !== undefined) draft.suggestion = suggestion;
      drafts.push(draft);
      return;
    }
    if (targetIndex === index) {
      drafts.push({
        path,
        summary: "a step cannot be its own fallback",
        expected: "fail, continue, or another step",
      });
      return;
    }
    for (const ancestor of ancestry.ancestorsOf(targetIndex)) {
      if (ancestor === index || !ancestry.isAncestor(index, ancestor)) continue;
      const blocker = outlines[ancestor]?.id ?? "?";
      drafts.push({
        path,
        summary: `the fallback step ${target} is unreachable: it needs ${blocker}, which waits for ${outline.id}, the step it stands in for`,
        expected: `a fallback that does not depend on what comes after ${outline.id}`,
      });
      return;
    }
  });
  return { graph, ancestry };
}
