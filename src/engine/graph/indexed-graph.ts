import type { GraphNode } from "./graph-node.js";

/** A need that names no step. */
export interface UnknownNeed {
  step: string;
  need: string;
  /** Index of the need in the step's `needs`. */
  position: number;
}

/**
 * The graph as integer adjacency lists, in the order of the nodes (the file order), so every
 * algorithm is linear and deterministic. Unknown needs are left out of the edges and listed.
 */
export interface IndexedGraph {
  nodes: readonly GraphNode[];
  indexOf: ReadonlyMap<string, number>;
  /** Per node, the indices it needs (its predecessors). */
  predecessors: readonly (readonly number[])[];
  /** Per node, the indices that need it. */
  successors: readonly (readonly number[])[];
  unknownNeeds: readonly UnknownNeed[];
}

export function indexGraph(nodes: readonly GraphNode[]): IndexedGraph {
  const indexOf = new Map<string, number>();
  nodes.forEach((node, index) => {
    // A duplicate id keeps its first position; the loader reports duplicates itself.
    if (!indexOf.has(node.id)) indexOf.set(node.id, index);
  });
  const predecessors: number[][] = nodes.map(() => []);
  const successors: number[][] = nodes.map(() => []);
  const unknownNeeds: UnknownNeed[] = [];
  nodes.forEach((node, index) => {
    const seen = new Set<number>();
    node.needs.forEach((need, position) => {
      const predecessor = indexOf.get(need);
      if (predecessor === undefined) {
        unknownNeeds.push({ step: node.id, need, position });
        return;
      }
      if (seen.has(predecessor)) return;
      seen.add(predecessor);
      predecessors[index]?.push(predecessor);
      successors[predecessor]?.push(index);
    });
  });
  return { nodes, indexOf, predecessors, successors, unknownNeeds };
}
