import { dirname, resolve } from "node:path";
import { displayPath } from "../../config/index.js";
import type { WorkflowDefinition } from "../workflow-definition.js";
import { buildWorkflow, type SubWorkflowResult } from "./build-workflow.js";
import { parseWorkflowYaml } from "./parse-workflow-yaml.js";
import { readWorkflowSource } from "./read-workflow-source.js";
import { WorkflowFileError } from "./workflow-file-error.js";

export interface LoadWorkflowOptions {
  /**
   * Model aliases and fallback chain names a step may use (the loaded configuration's `models`
   * and `fallbacks`). Undefined: model names are not checked.
   */
  models?: readonly string[];
  /** Relative paths, and paths in messages, are relative to this. @defaultValue process.cwd() */
  cwd?: string;
}

export interface ParseWorkflowOptions extends LoadWorkflowOptions {
  /** The file name used in messages and as the definition's `source`. @defaultValue "workflow.yaml" */
  file?: string;
  /** `workflow:` steps are resolved against this directory. @defaultValue cwd */
  baseDir?: string;
}

/**
 * Reads, parses and checks a workflow file (and the sub-workflows it includes). Throws a
 * WorkflowFileError listing every problem, each with file, line, key path and a fix.
 */
export async function loadWorkflowFile(
  path: string,
  options: LoadWorkflowOptions = {},
): Promise<WorkflowDefinition> {
  const cwd = options.cwd ?? process.cwd();
  return loadFile(resolve(cwd, path), options, cwd, []);
}

/** Checks workflow YAML text that is not (yet) in a file. Synchronous; throws WorkflowFileError. */
export function parseWorkflowText(
  text: string,
  options: ParseWorkflowOptions = {},
): WorkflowDefinition {
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ?? "workflow.yaml";
  const baseDir = options.baseDir ?? cwd;
  return parseAt(text, file, baseDir, options, cwd, [resolve(baseDir, file)]);
}

function loadFile(
  absolutePath: string,
  options: LoadWorkflowOptions,
  cwd: string,
  stack: readonly string[],
): WorkflowDefinition {
  const displayFile = displayPath(absolutePath, cwd);
  const text = readWorkflowSource(absolutePath, displayFile);
  return parseAt(text, displayFile, dirname(absolutePath), options, cwd, [...stack, absolutePath]);
}

function parseAt(
  text: string,
  displayFile: string,
  baseDir: string,
  options: LoadWorkflowOptions,
  cwd: string,
  stack: readonly string[],
): WorkflowDefinition {
  const parsed = parseWorkflowYaml(text, displayFile);
  return buildWorkflow(parsed, {
    file: displayFile,
    ...(options.models === undefined ? {} : { models: options.models }),
    loadSubWorkflow: (relativePath): SubWorkflowResult => {
      const target = resolve(baseDir, relativePath);
      if (stack.includes(target)) {
        const chain = [...stack.slice(stack.indexOf(target)), target].map((file) =>
          displayPath(file, cwd),
        );
        return { issues: [], problem: `recursive include: ${chain.join(" → ")}` };
      }
      try {
        return { definition: loadFile(target, options, cwd, stack), issues: [] };
      } catch (error) {
        if (!WorkflowFileError.isInstance(error)) throw error;
        const [only] = error.issues;
        // A missing or unreadable file is a problem of this step's `workflow:` value.
        if (error.issues.length === 1 && only !== undefined && only.line === undefined) {
          return { issues: [], problem: `${displayPath(target, cwd)}: ${only.message}` };
        }
        return { issues: error.issues };
      }
    },
  });
}
