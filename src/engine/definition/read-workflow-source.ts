import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { didYouMean, toConfigIssue } from "../../config/index.js";
import { WorkflowFileError } from "./workflow-file-error.js";

/**
 * The text of a workflow file, or a WorkflowFileError that says why there is none: missing
 * (with the closest YAML file next to it), a directory (with the YAML files inside), unreadable.
 */
export function readWorkflowSource(file: string, displayFile: string): string {
  try {
    if (statSync(file).isDirectory()) {
      const inside = yamlFilesIn(file);
      throw failure(
        "workflow.unreadable",
        displayFile,
        "this is a directory, not a workflow file",
        inside.length === 0 ? undefined : join(displayFile, inside[0] as string),
        "Pass the path of a workflow YAML file.",
      );
    }
    return readFileSync(file, "utf8");
  } catch (error) {
    if (WorkflowFileError.isInstance(error)) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      const closest = didYouMean(basename(file), yamlFilesIn(dirname(file)));
      throw failure(
        "workflow.not_found",
        displayFile,
        "the workflow file does not exist",
        closest === undefined ? undefined : join(dirname(displayFile), closest),
        "Check the path; workflow files are YAML (.yaml or .yml).",
      );
    }
    throw failure(
      "workflow.unreadable",
      displayFile,
      `the file cannot be read (${error instanceof Error ? error.message : String(error)})`,
      undefined,
      "Check that the path names a readable YAML file.",
      error,
    );
  }
}

function failure(
  code: string,
  displayFile: string,
  summary: string,
  suggestion: string | undefined,
  hint: string,
  cause?: unknown,
): WorkflowFileError {
  const issue = toConfigIssue(
    suggestion === undefined ? { path: [], summary } : { path: [], summary, suggestion },
    undefined,
  );
  return new WorkflowFileError({
    code,
    file: displayFile,
    issues: [{ ...issue, file: displayFile }],
    hint,
    cause,
  });
}

function yamlFilesIn(directory: string): string[] {
  try {
    return readdirSync(directory)
      .filter((name) => /\.ya?ml$/i.test(name))
      .sort();
  } catch {
    return [];
  }
}
