import { stat } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { OrkestraConfig } from "../config/index.js";
import { checkDefinition, loadWorkflowFile, type WorkflowDefinition } from "../engine/index.js";
import { UsageError } from "../errors/index.js";
import type { CliContext } from "./cli-context.js";

const MODULE_EXTENSIONS = new Set([".ts", ".mts", ".js", ".mjs"]);
const YAML_EXTENSIONS = new Set([".yaml", ".yml"]);

function looksLikeDefinition(value: unknown): value is WorkflowDefinition {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as WorkflowDefinition).name === "string" &&
    Array.isArray((value as WorkflowDefinition).steps)
  );
}

/** The names a workflow step may use as its model: every model alias and fallback chain. */
export function workflowModelNames(config: OrkestraConfig): string[] {
  return [...Object.keys(config.models), ...Object.keys(config.fallbacks)];
}

/**
 * Loads the workflow in `path` (relative to the working directory): a YAML file, or a module
 * whose default export is a WorkflowDefinition or a builder. Its `source` becomes the absolute
 * path, so `orkestra resume` finds it again. Problems are usage errors (exit 2).
 */
export async function loadWorkflow(path: string, context: CliContext): Promise<WorkflowDefinition> {
  const absolute = resolve(context.io.cwd, path);
  const found = await stat(absolute).catch(() => undefined);
  if (!found) {
    throw new UsageError(`workflow file ${path} does not exist`, {
      hint: "Give the path of a .yaml workflow or of a .ts/.js/.mjs module that default-exports one.",
    });
  }
  if (found.isDirectory()) {
    throw new UsageError(`${path} is a directory, not a workflow file`, {
      hint: "Give the path of a workflow file inside it.",
    });
  }
  const extension = extname(absolute).toLowerCase();
  if (YAML_EXTENSIONS.has(extension)) {
    const { config } = await context.config();
    const definition = await loadWorkflowFile(absolute, { models: workflowModelNames(config) });
    return { ...definition, source: absolute };
  }
  if (!MODULE_EXTENSIONS.has(extension)) {
    throw new UsageError(`${path}: unknown workflow file type "${extension || "(none)"}"`, {
      hint: "Use .yaml, .yml, .ts, .mts, .js or .mjs.",
    });
  }
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
  } catch (error) {
    if (UsageError.isInstance(error) || (error as { code?: string }).code === "workflow.invalid")
      throw error;
    throw new UsageError(`${path}: cannot load the module: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let exported = module.default;
  if (
    typeof exported === "object" &&
    exported !== null &&
    typeof (exported as { build?: unknown }).build === "function"
  ) {
    exported = (exported as { build(): unknown }).build();
  }
  if (!looksLikeDefinition(exported)) {
    throw new UsageError(`${path}: the default export is not a workflow`, {
      hint: 'End the module with: export default workflow("name")…build();',
    });
  }
  const definition: WorkflowDefinition = { ...exported, source: absolute };
  checkDefinition(definition);
  return definition;
}
