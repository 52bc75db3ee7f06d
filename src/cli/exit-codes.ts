import { OrkestraError } from "../errors/index.js";

export const EXIT_OK = 0;
/** The work was attempted and failed (every model failed, a store query failed, ...). */
export const EXIT_FAILED = 1;
/** Bad usage or bad configuration: nothing was attempted. */
export const EXIT_USAGE = 2;

const USAGE_ERROR_NAMES = new Set(["UsageError", "ConfigError"]);
/** Codes of errors in a workflow file or in the inputs given: the user's to fix, nothing ran. */
const USAGE_ERROR_CODES = new Set(["workflow.invalid", "workflow.input"]);

export function exitCodeFor(error: unknown): number {
  if (OrkestraError.isInstance(error) && USAGE_ERROR_NAMES.has(error.name)) return EXIT_USAGE;
  if (OrkestraError.isInstance(error) && USAGE_ERROR_CODES.has(error.code)) return EXIT_USAGE;
  return EXIT_FAILED;
}
