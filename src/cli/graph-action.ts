import {
  analyzeGraph,
  type GraphAnalysis,
  loadWorkflowFile,
  type WorkflowDefinition,
  WorkflowFileError,
} from "../engine/index.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK, EXIT_USAGE } from "./exit-codes.js";
import { workflowModelNames } from "./load-workflow.js";

export interface GraphFlags {
  mermaid: boolean;
}

/** Per-alias estimates from the ledger's recent latency; an unavailable store just gives none. */
async function modelEstimates(
  context: CliContext,
  definition: WorkflowDefinition,
): Promise<Map<string, number>> {
  const aliases = definition.steps.flatMap((step) =>
    step.kind === "prompt" ? [step.model] : step.kind === "fanout" ? [...step.models] : [],
  );
  if (aliases.length === 0) return new Map();
  // The gateway's code only when there are models to ask the ledger about.
  const { recentLatencyMs } = await import("../models/index.js");
  try {
    return await recentLatencyMs(await context.store(), aliases);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    context.note(`note: no latency from the ledger (${reason}); estimates use the default`);
    return new Map();
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** Where a step's estimate came from, for people reading the critical path. */
function estimateSource(
  definition: WorkflowDefinition,
  id: string,
  estimates: ReadonlyMap<string, number>,
): string {
  const step = definition.steps.find((candidate) => candidate.id === id);
  if (step?.estimateMs !== undefined) return "estimateMs";
  const models =
    step?.kind === "prompt" ? [step.model] : step?.kind === "fanout" ? [...step.models] : [];
  const measured = models.filter((alias) => estimates.has(alias));
  return measured.length > 0 ? `recent p50 of ${measured.join(", ")}` : "default";
}

function describe(
  file: string,
  definition: WorkflowDefinition,
  analysis: GraphAnalysis,
  estimates: ReadonlyMap<string, number>,
): string {
  const count = definition.steps.length;
  const lines = [
    `${file} is valid: workflow ${definition.name}, ${count} step${count === 1 ? "" : "s"}`,
  ];
  lines.push(`order: ${analysis.order.join(", ")}`);
  lines.push("levels (the steps of a level can run at once):");
  analysis.levels.forEach((level, index) => {
    lines.push(`  ${index + 1}. ${level.join(", ")}`);
  });
  const { steps, totalMs } = analysis.criticalPath;
  lines.push(`critical path: ${steps.join(" → ")} (about ${formatMs(totalMs)})`);
  for (const id of steps) {
    const source = estimateSource(definition, id, estimates);
    lines.push(`  ${id}: ${formatMs(analysis.estimatesMs[id] ?? 0)} (${source})`);
  }
  return lines.join("\n");
}

/** `orkestra graph <file>`. */
export async function runGraph(
  context: CliContext,
  file: string,
  flags: GraphFlags,
): Promise<number> {
  const { config } = await context.config();
  const models = workflowModelNames(config);
  let definition: WorkflowDefinition;
  try {
    definition = await loadWorkflowFile(file, { models, cwd: context.io.cwd });
  } catch (error) {
    if (!WorkflowFileError.isInstance(error) || !context.options.json) throw error;
    context.printJson({
      success: false,
      valid: false,
      file: error.file,
      error: { code: error.code, message: error.message },
      issues: error.issues,
    });
    return EXIT_USAGE;
  }
  const estimates = await modelEstimates(context, definition);
  const analysis = analyzeGraph(definition, { modelEstimateMs: (alias) => estimates.get(alias) });
  if (context.options.json) {
    context.printJson({
      success: true,
      valid: true,
      file: definition.source,
      workflow: definition.name,
      steps: definition.steps.map((step) => ({ id: step.id, kind: step.kind, needs: step.needs })),
      order: analysis.order,
      levels: analysis.levels,
      criticalPath: analysis.criticalPath,
      estimatesMs: analysis.estimatesMs,
      ...(flags.mermaid ? { mermaid: analysis.mermaid } : {}),
    });
  } else if (flags.mermaid) {
    context.io.stdout.write(analysis.mermaid);
  } else {
    context.print(describe(definition.source, definition, analysis, estimates));
  }
  return EXIT_OK;
}
