import type { ConfigIssue } from "../config/index.js";
import { errorMarker, hasErrorMarker, OrkestraError } from "../errors/index.js";

const marker = errorMarker("TaskFileError");

/** One problem with a tasks file: a config-style issue, the file, and the entry it is in. */
export interface TaskFileIssue extends ConfigIssue {
  /** The file as shown in messages. */
  file: string;
  /** The entry's position in the list (0-based), or null for the file as a whole. */
  entry: number | null;
  /** The entry's `key`, when it has one. */
  key: string | null;
}

export interface TaskFileErrorOptions {
  /** `task_file.invalid`, `task_file.syntax`, `task_file.not_found`, `task_file.unreadable`. */
  code: string;
  /** The file as shown in messages. */
  file: string;
  issues: readonly TaskFileIssue[];
  hint?: string;
  cause?: unknown;
}

/**
 * A tasks file for `orkestra task add --file` cannot be used. Carries every problem found, one
 * line each with file, line, entry and the fix, so the whole file is fixed in one go. Nothing was
 * added. Exit code 2.
 */
export class TaskFileError extends OrkestraError {
  readonly [marker] = true;
  readonly file: string;
  readonly issues: readonly TaskFileIssue[];

  constructor(options: TaskFileErrorOptions) {
    super(options.issues.map(formatTaskFileIssue).join("\n"), {
      code: options.code,
      hint: options.hint ?? "Fix the problems listed; nothing was added.",
      cause: options.cause,
      invalidInput: true,
    });
    this.name = "TaskFileError";
    this.file = options.file;
    this.issues = options.issues;
  }

  static override isInstance(error: unknown): error is TaskFileError {
    return hasErrorMarker(error, marker);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), file: this.file, issues: this.issues };
  }
}

/** `tasks.yaml:5:5 entry 1 ("build") prioirty: unknown key "prioirty", … (did you mean …?)` */
export function formatTaskFileIssue(issue: TaskFileIssue): string {
  const position = issue.line === undefined ? "" : `:${issue.line}:${issue.column ?? 1}`;
  const entry =
    issue.entry === null
      ? ""
      : ` ${describeTaskEntry(issue.entry, issue.key)}${issue.keyPath === "" ? "" : ` ${issue.keyPath}`}`;
  return `${issue.file}${position}${entry}: ${issue.message}`;
}

/** `entry 2 ("build")`, or `entry 2` without a key: how the queue names an entry too. */
export function describeTaskEntry(index: number, key: string | null): string {
  return key === null ? `entry ${index}` : `entry ${index} ("${key}")`;
}
