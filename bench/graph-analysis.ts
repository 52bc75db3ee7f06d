/**
 * Graph analysis of a 10,000-step, 30,000-need workflow: order, levels, critical path, cycles
 * and Mermaid text (analyzeGraph), and the whole load of the same workflow as YAML text
 * (parse, schema, graph checks, templates). Prints the median of 5 runs, in ms, against the
 * 200 ms target for the analysis.
 *
 *   node --import tsx bench/graph-analysis.ts
 */
import { analyzeGraph, type GraphNode, parseWorkflowText } from "../src/engine/index.js";
import { median } from "./stats.js";

const WIDTH = 100;
const DEPTH = 100;
const RUNS = 5;
const TARGET_MS = 200;

/** Layers of 100 steps, each needing 3 steps of the layer before: 9,900 needs per 3… */
function layeredGraph(): GraphNode[] {
  const nodes: GraphNode[] = [];
  for (let layer = 0; layer < DEPTH; layer += 1) {
    for (let column = 0; column < WIDTH; column += 1) {
      const needs =
        layer === 0
          ? []
          : [0, 1, 2].map((offset) => `n${layer - 1}_${(column + offset * 7) % WIDTH}`);
      nodes.push({ id: `n${layer}_${column}`, needs, estimateMs: 1 + (column % 5) });
    }
  }
  // …and 300 more from the last layer to earlier ones: 30,000 needs in all.
  for (let extra = 0; extra < 300; extra += 1) {
    const target = nodes[WIDTH * (DEPTH - 1) + (extra % WIDTH)] as GraphNode;
    (target.needs as string[]).push(`n${DEPTH - 3 - Math.floor(extra / WIDTH)}_${extra % WIDTH}`);
  }
  return nodes;
}

function yamlOf(nodes: readonly GraphNode[]): string {
  const lines = ["name: big", "steps:"];
  for (const node of nodes) {
    const needs = node.needs.length === 0 ? "" : `, needs: [${node.needs.join(", ")}]`;
    lines.push(`  ${node.id}: { prompt: "step ${node.id}", model: sim${needs} }`);
  }
  return `${lines.join("\n")}\n`;
}

function time(run: () => void): number {
  const timings: number[] = [];
  for (let round = 0; round < RUNS; round += 1) {
    const startedAt = performance.now();
    run();
    timings.push(performance.now() - startedAt);
  }
  return median(timings);
}

const nodes = layeredGraph();
const needs = nodes.reduce((sum, node) => sum + node.needs.length, 0);
analyzeGraph(nodes); // warm-up
const analysisMs = time(() => analyzeGraph(nodes));
const text = yamlOf(nodes);
const loadMs = time(() => parseWorkflowText(text, { models: ["sim"] }));

console.log(`graph: ${nodes.length} steps, ${needs} needs; median of ${RUNS} runs`);
console.log(
  `analyzeGraph (order, levels, critical path, cycles, mermaid): ${analysisMs.toFixed(1)} ms`,
);
console.log(
  `parseWorkflowText (YAML, schema, graph checks, templates):    ${loadMs.toFixed(1)} ms`,
);
console.log(
  analysisMs < TARGET_MS
    ? `target met: analysis under ${TARGET_MS} ms`
    : `TARGET MISSED: analysis took ${analysisMs.toFixed(1)} ms (target ${TARGET_MS} ms)`,
);
