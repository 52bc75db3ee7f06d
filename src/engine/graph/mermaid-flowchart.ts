import type { IndexedGraph } from "./indexed-graph.js";

/**
 * Mermaid `flowchart` text: an arrow from each need to the step that needs it, the critical
 * path highlighted. Node ids are generated (`s0`, `s1`, …) and the step ids are labels, so any
 * step id is safe in the output.
 */
export function mermaidFlowchart(graph: IndexedGraph, critical: readonly number[]): string {
  const lines = ["flowchart TD"];
  graph.nodes.forEach((node, index) => {
    lines.push(`  s${index}["${escapeLabel(node.id)}"]`);
  });
  graph.successors.forEach((successors, index) => {
    for (const successor of successors) lines.push(`  s${index} --> s${successor}`);
  });
  if (critical.length > 0) {
    lines.push("  classDef critical stroke-width:3px");
    lines.push(`  class ${critical.map((index) => `s${index}`).join(",")} critical`);
  }
  return `${lines.join("\n")}\n`;
}

function escapeLabel(text: string): string {
  return text.replace(/"/g, "#quot;");
}
