import type { IndexedGraph } from "./indexed-graph.js";

/**
 * One cycle per strongly connected component that has one, as the path of step ids that closes
 * on itself (`["s1", "s6", "s1"]`), starting at the component's first step in file order.
 * Tarjan's algorithm without recursion, so a 10,000-step chain cannot overflow the stack.
 */
export function findCycles(graph: IndexedGraph): string[][] {
  const count = graph.nodes.length;
  const order = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;

  for (let start = 0; start < count; start += 1) {
    if (order[start] !== -1) continue;
    // Each frame is a node and how many of its successors have been looked at.
    const frames: [node: number, next: number][] = [[start, 0]];
    order[start] = low[start] = counter++;
    stack.push(start);
    onStack[start] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as [number, number];
      const [node, next] = frame;
      const successors = graph.successors[node] ?? [];
      if (next < successors.length) {
        frame[1] = next + 1;
        const successor = successors[next] as number;
        if (order[successor] === -1) {
          order[successor] = low[successor] = counter++;
          stack.push(successor);
          onStack[successor] = 1;
          frames.push([successor, 0]);
        } else if (onStack[successor] === 1) {
          low[node] = Math.min(low[node] as number, order[successor] as number);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined)
        low[parent[0]] = Math.min(low[parent[0]] as number, low[node] as number);
      if (low[node] === order[node]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop() as number;
          onStack[member] = 0;
          component.push(member);
        } while (member !== node);
        const selfLoop = component.length === 1 && (graph.successors[node] ?? []).includes(node);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components
    .map((component) => cyclePath(graph, component))
    .sort(
      (left, right) =>
        (graph.indexOf.get(left[0] ?? "") ?? 0) - (graph.indexOf.get(right[0] ?? "") ?? 0),
    );
}

/**
 * The shortest way round from the component's first step back to itself, breadth first along
 * `needs`: `s1 → s6 → s1` reads "s1 needs s6, which needs s1".
 */
function cyclePath(graph: IndexedGraph, component: readonly number[]): string[] {
  const members = new Set(component);
  const start = Math.min(...component);
  const cameFrom = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head] as number;
    for (const need of graph.predecessors[node] ?? []) {
      if (!members.has(need)) continue;
      if (need === start) {
        const backwards = [node];
        for (let step = node; step !== start; ) {
          step = cameFrom.get(step) as number;
          backwards.push(step);
        }
        const path = [...backwards.reverse(), start];
        return path.map((index) => graph.nodes[index]?.id ?? "?");
      }
      if (!cameFrom.has(need)) {
        cameFrom.set(need, node);
        queue.push(need);
      }
    }
  }
  return [graph.nodes[start]?.id ?? "?"];
}
