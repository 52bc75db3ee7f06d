import type { IndexedGraph } from "./indexed-graph.js";

export interface TopologicalOrder {
  /** Indices in an order where every step comes after what it needs; ties in file order. */
  order: number[];
  /** Indices that are on or behind a cycle (never ready). Empty for a valid graph. */
  blocked: number[];
}

/** Kahn's algorithm, O(steps + needs). */
export function topologicalOrder(graph: IndexedGraph): TopologicalOrder {
  const count = graph.nodes.length;
  const waiting = new Int32Array(count);
  for (let index = 0; index < count; index += 1) {
    waiting[index] = graph.predecessors[index]?.length ?? 0;
  }
  const order: number[] = [];
  for (let index = 0; index < count; index += 1) if (waiting[index] === 0) order.push(index);
  // `order` doubles as the queue: everything before `head` has been released.
  for (let head = 0; head < order.length; head += 1) {
    for (const successor of graph.successors[order[head] as number] ?? []) {
      waiting[successor] = (waiting[successor] ?? 0) - 1;
      if (waiting[successor] === 0) order.push(successor);
    }
  }
  const blocked: number[] = [];
  for (let index = 0; index < count; index += 1) if ((waiting[index] ?? 0) > 0) blocked.push(index);
  return { order, blocked };
}
