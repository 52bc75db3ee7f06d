import { ConfigError } from "../config/index.js";
import { UsageError } from "../errors/index.js";

export const EXIT_OK = 0;
/** The work was attempted and failed (every model failed, a store query failed, ...). */
export const EXIT_FAILED = 1;
/** Bad usage or bad configuration: nothing was attempted. */
export const EXIT_USAGE = 2;

/** 2 for a usage or configuration error (by class, from any copy of the package), else 1. */
export function exitCodeFor(error: unknown): number {
  if (UsageError.isInstance(error) || ConfigError.isInstance(error)) return EXIT_USAGE;
  return EXIT_FAILED;
}
