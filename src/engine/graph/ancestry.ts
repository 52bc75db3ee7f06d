import type { IndexedGraph } from "./indexed-graph.js";

/**
 * Which steps a step transitively needs, computed on demand and remembered: the loader asks
 * only for steps that read other steps or write state, so a large graph is not closed in full.
 */
export class Ancestry {
  private readonly graph: IndexedGraph;
  private readonly known = new Map<number, ReadonlySet<number>>();

  constructor(graph: IndexedGraph) {
    this.graph = graph;
  }

  /** Every index the node needs, directly or through other steps (itself only on a cycle). */
  ancestorsOf(node: number): ReadonlySet<number> {
    const cached = this.known.get(node);
    if (cached !== undefined) return cached;
    const found = new Set<number>();
    const pending = [...(this.graph.predecessors[node] ?? [])];
    while (pending.length > 0) {
      const next = pending.pop() as number;
      if (found.has(next)) continue;
      found.add(next);
      const known = this.known.get(next);
      if (known !== undefined) {
        for (const ancestor of known) found.add(ancestor);
        continue;
      }
      pending.push(...(this.graph.predecessors[next] ?? []));
    }
    this.known.set(node, found);
    return found;
  }

  /** Whether `ancestor` must end before `node` can start. */
  isAncestor(ancestor: number, node: number): boolean {
    return this.ancestorsOf(node).has(ancestor);
  }

  /** Neither needs the other: they can run at the same time. */
  canRunConcurrently(left: number, right: number): boolean {
    return left !== right && !this.isAncestor(left, right) && !this.isAncestor(right, left);
  }
}
