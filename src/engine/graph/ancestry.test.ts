import { describe, expect, it } from "vitest";
import { Ancestry } from "./ancestry.js";
import { indexGraph } from "./indexed-graph.js";

describe("Ancestry", () => {
  const graph = indexGraph([
    { id: "a", needs: [] },
    { id: "b", needs: ["a"] },
    { id: "c", needs: ["a"] },
    { id: "d", needs: ["b"] },
    { id: "e", needs: ["d", "c"] },
    { id: "x", needs: ["y"] },
    { id: "y", needs: ["x"] },
  ]);
  const ancestry = new Ancestry(graph);
  const index = (id: string) => graph.indexOf.get(id) as number;
  const isAncestor = (ancestor: string, node: string) =>
    ancestry.isAncestor(index(ancestor), index(node));

  it("answers direct and transitive needs, and nothing else", () => {
    expect(isAncestor("a", "b")).toBe(true);
    expect(isAncestor("a", "e")).toBe(true);
    expect(isAncestor("b", "e")).toBe(true);
    expect(isAncestor("c", "d")).toBe(false);
    expect(isAncestor("e", "a")).toBe(false);
    expect(isAncestor("b", "c")).toBe(false);
  });

  it("tells which steps can run at the same time", () => {
    expect(ancestry.canRunConcurrently(index("b"), index("c"))).toBe(true);
    expect(ancestry.canRunConcurrently(index("d"), index("c"))).toBe(true);
    expect(ancestry.canRunConcurrently(index("a"), index("e"))).toBe(false);
  });

  it("works on cycles, where no order exists", () => {
    expect(isAncestor("x", "y")).toBe(true);
    expect(isAncestor("y", "y")).toBe(true);
    expect(isAncestor("a", "x")).toBe(false);
  });

  it("lists every ancestor", () => {
    expect([...ancestry.ancestorsOf(index("e"))].sort()).toEqual(
      ["a", "b", "c", "d"].map(index).sort(),
    );
  });

  it("answers quickly down a 10,000-step chain", () => {
    const chain = indexGraph(
      Array.from({ length: 10_000 }, (_, step) => ({
        id: `s${step}`,
        needs: step === 0 ? [] : [`s${step - 1}`],
      })),
    );
    const long = new Ancestry(chain);
    expect(long.isAncestor(0, 9_999)).toBe(true);
    expect(long.isAncestor(9_999, 0)).toBe(false);
    for (let step = 1; step < 10_000; step += 1) {
      if (!long.isAncestor(step - 1, step)) throw new Error(`s${step - 1} should be upstream`);
    }
  });
});
