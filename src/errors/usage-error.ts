import { errorMarker, hasErrorMarker } from "./error-marker.js";
import { OrkestraError } from "./orkestra-error.js";

const marker = errorMarker("UsageError");

export interface UsageErrorOptions {
  hint?: string;
  cause?: unknown;
}

/** Bad command-line usage (unknown flag value, missing argument). The CLI exits with 2. */
export class UsageError extends OrkestraError {
  readonly [marker] = true;

  constructor(message: string, options: UsageErrorOptions = {}) {
    super(message, {
      code: "usage",
      hint: options.hint,
      cause: options.cause,
      invalidInput: true,
    });
    this.name = "UsageError";
  }

  static override isInstance(error: unknown): error is UsageError {
    return hasErrorMarker(error, marker);
  }
}
