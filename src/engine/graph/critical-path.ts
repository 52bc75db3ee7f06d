import type { IndexedGraph } from "./indexed-graph.js";

export interface CriticalPath {
  /** Indices from a first step to the last, the longest chain by estimate. */
  path: number[];
  totalMs: number;
}

/**
 * The chain of needs that takes longest, which bounds the run's duration however many steps run
 * at once. `order` must be a topological order; `estimates` are ms per node index.
 */
export function criticalPath(
  graph: IndexedGraph,
  order: readonly number[],
  estimates: ArrayLike<number>,
): CriticalPath {
  const count = graph.nodes.length;
  const finish = new Float64Array(count);
  const via = new Int32Array(count).fill(-1);
  let last = -1;
  for (const node of order) {
    let start = 0;
    for (const need of graph.predecessors[node] ?? []) {
      const needFinish = finish[need] ?? 0;
      if (via[node] === -1 || needFinish > start) {
        start = needFinish;
        via[node] = need;
      }
    }
    finish[node] = start + (estimates[node] ?? 0);
    if (last === -1 || (finish[node] ?? 0) > (finish[last] ?? 0)) last = node;
  }
  const path: number[] = [];
  for (let node = last; node !== -1; node = via[node] ?? -1) path.push(node);
  path.reverse();
  return { path, totalMs: last === -1 ? 0 : (finish[last] ?? 0) };
}
