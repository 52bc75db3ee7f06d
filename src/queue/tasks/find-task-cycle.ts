/**
 * A dependency cycle among `nodes` (each listing the nodes it needs), as the path that closes
 * it (`[a, b, c, a]`), or undefined. Iterative depth-first search: deep chains do not overflow
 * the stack.
 */
export function findTaskCycle(nodes: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  for (const start of nodes.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [start];
    const cursors: number[] = [0];
    state.set(start, "open");
    while (path.length > 0) {
      const node = path.at(-1) as string;
      const needs = nodes.get(node) ?? [];
      const cursor = cursors.at(-1) as number;
      if (cursor >= needs.length) {
        state.set(node, "done");
        path.pop();
        cursors.pop();
        continue;
      }
      cursors[cursors.length - 1] = cursor + 1;
      const next = needs[cursor] as string;
      if (!nodes.has(next)) continue;
      const seen = state.get(next);
      if (seen === "open") return [...path.slice(path.indexOf(next)), next];
      if (seen === undefined) {
        state.set(next, "open");
        path.push(next);
        cursors.push(0);
      }
    }
  }
  return undefined;
}
