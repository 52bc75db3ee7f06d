import { OrkestraError } from "../errors/index.js";

export const EXIT_OK = 0;
/** The work was attempted and failed (every model failed, a store query failed, ...). */
export const EXIT_FAILED = 1;
/** Bad usage or bad configuration: nothing was attempted. */
export const EXIT_USAGE = 2;

/**
 * 2 when the caller's input was wrong (usage, configuration, a workflow file: every such class
 * says so with `invalidInput`, from any copy of the package), else 1.
 */
export function exitCodeFor(error: unknown): number {
  if (OrkestraError.isInstance(error) && error.invalidInput) return EXIT_USAGE;
  return EXIT_FAILED;
}
