import { describe, expect, it } from "vitest";
import { analyzeGraph } from "./analyze-graph.js";
import type { GraphNode } from "./graph-node.js";

const node = (id: string, needs: string[] = [], extra: Partial<GraphNode> = {}): GraphNode => ({
  id,
  needs,
  ...extra,
});

describe("analyzeGraph", () => {
  const diamond = [
    node("fetch", [], { estimateMs: 100 }),
    node("left", ["fetch"], { estimateMs: 300 }),
    node("right", ["fetch"], { estimateMs: 200 }),
    node("merge", ["left", "right"], { estimateMs: 50 }),
  ];

  it("orders steps after what they need, ties in file order", () => {
    expect(analyzeGraph(diamond).order).toEqual(["fetch", "left", "right", "merge"]);
    const reversed = [node("c", ["b"]), node("b", ["a"]), node("a")];
    expect(analyzeGraph(reversed).order).toEqual(["a", "b", "c"]);
  });

  it("groups the steps that can run at once into levels", () => {
    expect(analyzeGraph(diamond).levels).toEqual([["fetch"], ["left", "right"], ["merge"]]);
  });

  it("finds the critical path by estimate", () => {
    expect(analyzeGraph(diamond).criticalPath).toEqual({
      steps: ["fetch", "left", "merge"],
      totalMs: 450,
    });
  });

  it("estimates steps without estimateMs from their model, a fanout by its slowest model", () => {
    const graph = [
      node("ask", [], { models: ["fast"] }),
      node("panel", ["ask"], { models: ["fast", "slow"] }),
      node("note", ["ask"]),
    ];
    const latency: Record<string, number> = { fast: 200, slow: 900 };
    const analysis = analyzeGraph(graph, {
      modelEstimateMs: (alias) => latency[alias],
      defaultEstimateMs: 1000,
    });
    expect(analysis.estimatesMs).toEqual({ ask: 200, panel: 900, note: 1000 });
    expect(analysis.criticalPath).toEqual({ steps: ["ask", "note"], totalMs: 1200 });
    expect(analyzeGraph(graph).estimatesMs).toEqual({ ask: 1000, panel: 1000, note: 1000 });
  });

  it("reports each cycle as the path along needs, and a step that needs itself", () => {
    const graph = [
      node("s1", ["s6"]),
      node("s2"),
      node("s3", ["s3"]),
      node("s6", ["s2", "s1"]),
      node("after", ["s6"]),
    ];
    const analysis = analyzeGraph(graph);
    expect(analysis.cycles).toEqual([
      ["s1", "s6", "s1"],
      ["s3", "s3"],
    ]);
    expect(analysis.order).toEqual(["s2"]);
  });

  it("finds the shortest way round a larger cycle", () => {
    const graph = [node("a", ["d"]), node("b", ["a"]), node("c", ["b"]), node("d", ["c", "a"])];
    expect(analyzeGraph(graph).cycles).toEqual([["a", "d", "a"]]);
  });

  it("lists needs that name no step", () => {
    expect(analyzeGraph([node("a", ["ghost"])]).unknownNeeds).toEqual([
      { step: "a", need: "ghost", position: 0 },
    ]);
  });

  it("draws a Mermaid flowchart with the critical path marked", () => {
    expect(analyzeGraph(diamond).mermaid).toBe(
      [
        "flowchart TD",
        '  s0["fetch"]',
        '  s1["left"]',
        '  s2["right"]',
        '  s3["merge"]',
        "  s0 --> s1",
        "  s0 --> s2",
        "  s1 --> s3",
        "  s2 --> s3",
        "  classDef critical stroke-width:3px",
        "  class s0,s1,s3 critical",
        "",
      ].join("\n"),
    );
  });

  it("analyses a 10,000-step, 30,000-need graph correctly", () => {
    // Layers of 100 steps; each step needs three steps of the layer before it.
    const width = 100;
    const depth = 100;
    const graph: GraphNode[] = [];
    for (let layer = 0; layer < depth; layer += 1) {
      for (let column = 0; column < width; column += 1) {
        const needs =
          layer === 0
            ? []
            : [0, 1, 2].map((offset) => `n${layer - 1}_${(column + offset * 7) % width}`);
        graph.push(node(`n${layer}_${column}`, needs, { estimateMs: column === 42 ? 10 : 1 }));
      }
    }
    // The first layer needs nothing, so a few extra needs at the end make 30,000 in all.
    for (let column = 0; column < 300; column += 1) {
      const target = graph[width * (depth - 1) + (column % width)] as GraphNode;
      const layer = depth - 3 - Math.floor(column / width);
      (target.needs as string[]).push(`n${layer}_${column % width}`);
    }
    expect(graph.reduce((sum, step) => sum + step.needs.length, 0)).toBe(30_000);

    const analysis = analyzeGraph(graph);
    expect(analysis.cycles).toEqual([]);
    expect(analysis.order).toHaveLength(10_000);
    const position = new Map(analysis.order.map((id, index) => [id, index]));
    const outOfOrder = graph.flatMap((step) =>
      step.needs.filter((need) => (position.get(need) ?? 0) >= (position.get(step.id) ?? 0)),
    );
    expect(outOfOrder).toEqual([]);
    expect(analysis.levels).toHaveLength(depth);
    expect(analysis.levels.every((level) => level.length === width)).toBe(true);
    // Column 42 is slow in every layer, and n_{l}_42 needs n_{l-1}_42 (offset 0).
    expect(analysis.criticalPath.totalMs).toBe(depth * 10);
    expect(analysis.criticalPath.steps).toEqual(
      Array.from({ length: depth }, (_, layer) => `n${layer}_42`),
    );

    graph[0] = node("n0_0", ["n99_0"]);
    const cyclic = analyzeGraph(graph);
    expect(cyclic.cycles).toHaveLength(1);
    expect(cyclic.cycles[0]?.[0]).toBe("n0_0");
    expect(cyclic.cycles[0]?.at(-1)).toBe("n0_0");
    expect(cyclic.order.length).toBeLessThan(10_000);
  });
});
