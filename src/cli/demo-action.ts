import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { loadWorkflowFile, RunEmitter, type RunSummary, startRun } from "../engine/index.js";
import type { CliContext } from "./cli-context.js";
import { demoModel, EXAMPLE_MODEL, isSimulated, onModel } from "./demo-model.js";
import { demoReport } from "./demo-report.js";
import { EXIT_FAILED, EXIT_OK } from "./exit-codes.js";
import { formatDemoReport } from "./format-demo-report.js";
import { workflowModelNames } from "./load-workflow.js";
import { runJson } from "./run-json.js";
import { showProgress } from "./run-progress.js";

// src/cli and dist/cli are both two levels below the package root, where examples/ ships: the
// demo works from any directory, as `npx orkestra demo` in a project that installed it.
const EXAMPLES = new URL("../../examples/", import.meta.url);
export const DEMO_WORKFLOW = fileURLToPath(new URL("manuscript-review.yaml", EXAMPLES));
export const DEMO_MANUSCRIPT = fileURLToPath(new URL("sample-manuscript.md", EXAMPLES));

export interface DemoFlags {
  model?: string;
}

/** `orkestra demo`: the manuscript review on the bundled sample, then a report. */
export async function runDemo(context: CliContext, flags: DemoFlags): Promise<number> {
  const loaded = await context.config();
  const model = demoModel(loaded, flags.model);
  const simulated = isSimulated(loaded, model);
  // The example names `sim`; on another model it is loaded with `sim` allowed, then rewritten.
  const models = [...new Set([...workflowModelNames(loaded.config), EXAMPLE_MODEL])];
  const file = await loadWorkflowFile(DEMO_WORKFLOW, { models, cwd: context.io.cwd });
  const definition = onModel({ ...file, source: DEMO_WORKFLOW }, model);
  const manuscript = await readFile(DEMO_MANUSCRIPT, "utf8");
  context.note(
    `orkestra demo: ${definition.name} on the bundled sample manuscript, every step on ${model}${simulated ? " (simulated: no provider is called)" : ""}`,
  );

  const events = new RunEmitter();
  const stopProgress = showProgress(context, events);
  const started = Date.now();
  let summary: RunSummary;
  try {
    const handle = await startRun(definition, {
      store: await context.store(),
      gateway: await context.gateway(),
      logger: await context.logger(),
      events,
      inputs: { manuscript },
    });
    summary = await handle.done;
  } finally {
    stopProgress();
  }
  const report = demoReport({
    summary,
    loop: definition.loop,
    model,
    simulated,
    manuscript: DEMO_MANUSCRIPT,
    durationMs: Date.now() - started,
  });
  const success = summary.status === "succeeded";
  if (context.options.json) context.printJson({ ...runJson(summary, success), report });
  else context.print(formatDemoReport(report));
  return success ? EXIT_OK : EXIT_FAILED;
}
