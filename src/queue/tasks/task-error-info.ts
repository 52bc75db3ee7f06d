import { coerceError } from "../../errors/index.js";
import { redactSecrets } from "../../observability/index.js";
import type { TaskErrorInfo } from "./task-types.js";

/**
 * Anything thrown by a handler, as the queue stores it: the message (secrets redacted), the
 * class name, and the `code`, `kind` and `hint` when the error has them. Never the stack:
 * error rows are shown to people, and stacks can carry paths and data.
 */
export function taskErrorInfo(thrown: unknown): TaskErrorInfo {
  const error = coerceError(thrown);
  const info: TaskErrorInfo = { message: redactSecrets(error.message), name: error.name };
  const fields = error as unknown as Record<string, unknown>;
  for (const field of ["code", "kind", "hint"] as const) {
    const value = fields[field];
    if (typeof value === "string") info[field] = redactSecrets(value);
  }
  return info;
}
