import { errorMarker, hasErrorMarker, OrkestraError } from "../errors/index.js";
import type { ConfigIssue } from "./config-issue.js";
import { formatConfigIssue } from "./format-config-issue.js";

const marker = errorMarker("ConfigError");

export interface ConfigErrorOptions {
  /** `config.invalid`, `config.not_found`, `config.unreadable`, `config.syntax`, `config.empty`, `config.env`. */
  code: string;
  /** Absolute path of the configuration file; undefined when only defaults and env were involved. */
  file: string | undefined;
  issues: readonly ConfigIssue[];
  /** How to show the file in messages (usually relative to the working directory). @defaultValue file */
  displayFile?: string;
  hint?: string;
  cause?: unknown;
}

/**
 * The configuration cannot be used. Carries every issue found, so the user fixes the whole file
 * in one go. The CLI maps this class to exit code 2. Takes its options alone: the message is
 * built from the issues, so there is no second source of truth to keep in step.
 */
export class ConfigError extends OrkestraError {
  readonly [marker] = true;
  readonly file: string | undefined;
  readonly issues: readonly ConfigIssue[];

  constructor(options: ConfigErrorOptions) {
    const displayFile = options.displayFile ?? options.file;
    super(options.issues.map((issue) => formatConfigIssue(issue, displayFile)).join("\n"), {
      code: options.code,
      hint: options.hint,
      cause: options.cause,
      invalidInput: true,
    });
    this.name = "ConfigError";
    this.file = options.file;
    this.issues = options.issues;
  }

  static override isInstance(error: unknown): error is ConfigError {
    return hasErrorMarker(error, marker);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), file: this.file, issues: this.issues };
  }
}
