import type { Logger } from "./logger.js";

/**
 * The logger for everything about one model: every line carries `model: alias` (a field in
 * JSON, an `[alias]` prefix in pretty output).
 */
export function modelLogger(logger: Logger, alias: string): Logger {
  return logger.child({ model: alias });
}
