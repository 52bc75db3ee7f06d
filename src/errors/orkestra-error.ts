const marker = Symbol.for("orkestra.error");

export interface OrkestraErrorOptions {
  /** Machine-readable code, stable across releases (for example `config.invalid`). */
  code: string;
  /** What the user can do about it, printed after the message. */
  hint?: string;
  cause?: unknown;
}

/**
 * Base of every error Orkestra throws on purpose. The marker symbol (not `instanceof`) makes
 * `isInstance` work even when two copies of the package are loaded, as in the AI SDK.
 */
export class OrkestraError extends Error {
  readonly [marker] = true;
  readonly code: string;
  readonly hint: string | undefined;

  constructor(message: string, options: OrkestraErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OrkestraError";
    this.code = options.code;
    this.hint = options.hint;
  }

  static isInstance(error: unknown): error is OrkestraError {
    return typeof error === "object" && error !== null && marker in error;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, hint: this.hint };
  }
}

/** Bad command-line usage (unknown flag value, missing argument). Exit code 2. */
export class UsageError extends OrkestraError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { code: "usage", ...options });
    this.name = "UsageError";
  }
}
