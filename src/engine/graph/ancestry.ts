import type { IndexedGraph } from "./indexed-graph.js";
import { topologicalOrder } from "./topological-order.js";

/**
 * Whether one step transitively needs another, answered per question rather than by closing
 * the whole graph (a 10,000-step chain would make 50 million pairs). A question is answered by
 * a walk up the needs that stops at steps placed before the candidate in topological order, so
 * the common case — a template reading a direct need — takes one look.
 */
export class Ancestry {
  private readonly graph: IndexedGraph;
  /** Position in a topological order; -1 for steps on or behind a cycle. */
  private readonly position: Int32Array;
  /** Walk marks: a node is visited in the current walk when its mark equals `walk`. */
  private readonly marks: Int32Array;
  private walk = 0;

  constructor(graph: IndexedGraph) {
    this.graph = graph;
    const count = graph.nodes.length;
    this.position = new Int32Array(count).fill(-1);
    topologicalOrder(graph).order.forEach((node, index) => {
      this.position[node] = index;
    });
    this.marks = new Int32Array(count);
  }

  /** Whether `ancestor` must end before `node` can start (true for a node on its own cycle). */
  isAncestor(ancestor: number, node: number): boolean {
    const predecessors = this.graph.predecessors;
    if (predecessors[node]?.includes(ancestor)) return true;
    const floor = this.position[ancestor] ?? -1;
    const top = this.position[node] ?? -1;
    // Both placed, and the candidate comes later: it cannot be needed.
    if (floor !== -1 && top !== -1 && floor >= top) return false;
    this.walk += 1;
    const pending = [node];
    while (pending.length > 0) {
      const current = pending.pop() as number;
      for (const need of predecessors[current] ?? []) {
        if (need === ancestor) return true;
        if (this.marks[need] === this.walk) continue;
        this.marks[need] = this.walk;
        // Steps placed before the candidate cannot lead to it.
        const placed = this.position[need] ?? -1;
        if (floor !== -1 && placed !== -1 && placed < floor) continue;
        pending.push(need);
      }
    }
    return false;
  }

  /** Every index the node needs, directly or through other steps. */
  ancestorsOf(node: number): Set<number> {
    const found = new Set<number>();
    const pending = [...(this.graph.predecessors[node] ?? [])];
    while (pending.length > 0) {
      const next = pending.pop() as number;
      if (found.has(next)) continue;
      found.add(next);
      pending.push(...(this.graph.predecessors[next] ?? []));
    }
    return found;
  }

  /** Neither needs the other: they can run at the same time. */
  canRunConcurrently(left: number, right: number): boolean {
    return left !== right && !this.isAncestor(left, right) && !this.isAncestor(right, left);
  }
}
