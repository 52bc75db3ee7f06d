import type { WorkflowDefinition } from "../workflow-definition.js";
import { criticalPath } from "./critical-path.js";
import { findCycles } from "./find-cycles.js";
import type { GraphNode } from "./graph-node.js";
import { indexGraph, type UnknownNeed } from "./indexed-graph.js";
import { mermaidFlowchart } from "./mermaid-flowchart.js";
import { parallelLevels } from "./parallel-levels.js";
import { topologicalOrder } from "./topological-order.js";

/** When a step has no `estimateMs` and nothing is known about its model. */
export const DEFAULT_STEP_ESTIMATE_MS = 1000;

export interface AnalyzeGraphOptions {
  /** An estimate per model alias (the CLI uses the ledger's recent p50 latency), ms. */
  modelEstimateMs?: (alias: string) => number | undefined;
  /** @defaultValue DEFAULT_STEP_ESTIMATE_MS */
  defaultEstimateMs?: number;
}

export interface GraphAnalysis {
  /** Every step after all it needs; ties in file order. Partial when there are cycles. */
  order: string[];
  /** Steps that can run at once, level by level. */
  levels: string[][];
  criticalPath: { steps: string[]; totalMs: number };
  /** Estimate used per step, ms. */
  estimatesMs: Record<string, number>;
  /** Each cycle as a closed path along needs: `["s1", "s6", "s1"]`. */
  cycles: string[][];
  unknownNeeds: UnknownNeed[];
  /** Mermaid flowchart text. */
  mermaid: string;
}

/**
 * Order, levels, critical path and cycles of a workflow graph, in time linear in steps + needs
 * (bench/graph-analysis.ts: a 10,000-step, 30,000-need graph).
 */
export function analyzeGraph(
  workflow: WorkflowDefinition | readonly GraphNode[],
  options: AnalyzeGraphOptions = {},
): GraphAnalysis {
  const nodes = isDefinition(workflow) ? graphNodesOf(workflow) : workflow;
  const graph = indexGraph(nodes);
  const { order } = topologicalOrder(graph);
  const estimates = nodes.map((node) => estimateOf(node, options));
  const critical = criticalPath(graph, order, estimates);
  const idOf = (index: number): string => nodes[index]?.id ?? "?";
  const estimatesMs: Record<string, number> = {};
  nodes.forEach((node, index) => {
    estimatesMs[node.id] = estimates[index] ?? 0;
  });
  return {
    order: order.map(idOf),
    levels: parallelLevels(graph, order).map((level) => level.map(idOf)),
    criticalPath: { steps: critical.path.map(idOf), totalMs: critical.totalMs },
    estimatesMs,
    cycles: findCycles(graph),
    unknownNeeds: [...graph.unknownNeeds],
    mermaid: mermaidFlowchart(graph, critical.path),
  };
}

/** A definition's steps as graph nodes: the models of prompt and fanout steps included. */
export function graphNodesOf(definition: WorkflowDefinition): GraphNode[] {
  return definition.steps.map((step) => {
    const node: GraphNode = { id: step.id, needs: step.needs };
    if (step.estimateMs !== undefined) node.estimateMs = step.estimateMs;
    if (step.kind === "prompt") node.models = [step.model];
    if (step.kind === "fanout") node.models = step.models;
    if (step.kind === "vote") node.models = step.members;
    return node;
  });
}

function estimateOf(node: GraphNode, options: AnalyzeGraphOptions): number {
  if (node.estimateMs !== undefined) return node.estimateMs;
  const fallback = options.defaultEstimateMs ?? DEFAULT_STEP_ESTIMATE_MS;
  const models = node.models ?? [];
  if (models.length === 0 || options.modelEstimateMs === undefined) return fallback;
  // A fanout calls its models at once: it takes as long as the slowest.
  return Math.max(...models.map((alias) => options.modelEstimateMs?.(alias) ?? fallback));
}

function isDefinition(
  workflow: WorkflowDefinition | readonly GraphNode[],
): workflow is WorkflowDefinition {
  return !Array.isArray(workflow);
}
