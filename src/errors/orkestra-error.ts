import { errorMarker, hasErrorMarker } from "./error-marker.js";

const marker = errorMarker("OrkestraError");

export interface OrkestraErrorOptions {
  /** Machine-readable code, stable across releases (for example `config.invalid`). */
  code: string;
  /** What the user can do about it, printed after the message. */
  hint?: string;
  /** Whether the same operation may succeed if tried again. @defaultValue false */
  retryable?: boolean;
  /**
   * The caller's input is wrong (a flag, the configuration, a workflow file): nothing was
   * attempted, and the CLI exits with 2. @defaultValue false
   */
  invalidInput?: boolean;
  cause?: unknown;
}

/**
 * Base of every error Orkestra throws on purpose. Constructed as `new XError(message, options)`
 * (the classes whose message is built from their data take the options alone). Each class has
 * its own marker symbol and a static `isInstance` that checks it instead of `instanceof`, so
 * the check works across two copies of the package, as in the AI SDK.
 */
export class OrkestraError extends Error {
  readonly [marker] = true;
  readonly code: string;
  readonly hint: string | undefined;
  readonly retryable: boolean;
  readonly invalidInput: boolean;

  constructor(message: string, options: OrkestraErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OrkestraError";
    this.code = options.code;
    this.hint = options.hint;
    this.retryable = options.retryable ?? false;
    this.invalidInput = options.invalidInput ?? false;
  }

  static isInstance(error: unknown): error is OrkestraError {
    return hasErrorMarker(error, marker);
  }

  /** The error as data: always `name`, `code`, `message`, `retryable` and `hint`; subclasses add theirs. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      hint: this.hint ?? null,
    };
  }
}
