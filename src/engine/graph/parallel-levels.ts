import type { IndexedGraph } from "./indexed-graph.js";

/**
 * Steps grouped by how early they can start: level 0 needs nothing, level n needs something of
 * level n − 1. Steps of one level can run at once. `order` must be a topological order.
 */
export function parallelLevels(graph: IndexedGraph, order: readonly number[]): number[][] {
  const levelOf = new Int32Array(graph.nodes.length);
  const levels: number[][] = [];
  for (const node of order) {
    let level = 0;
    for (const need of graph.predecessors[node] ?? []) {
      level = Math.max(level, (levelOf[need] ?? 0) + 1);
    }
    levelOf[node] = level;
    const members = levels[level];
    if (members === undefined) levels[level] = [node];
    else members.push(node);
  }
  // Within a level, file order.
  for (const level of levels) level.sort((left, right) => left - right);
  return levels;
}
