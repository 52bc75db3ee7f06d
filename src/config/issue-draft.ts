import type { ConfigIssue } from "./config-issue.js";
import { formatKeyPath } from "./format-config-issue.js";
import type { SourcePosition } from "./yaml-positions.js";

/** An issue before it is located in the file. */
export interface IssueDraft {
  path: readonly (string | number)[];
  /** Rendering of the value found; undefined when it is missing. */
  found?: string;
  expected?: string;
  /** Opens the message instead of `found …`: `unknown key "modles"`, `missing required key …`. */
  summary?: string;
  suggestion?: string;
  /** Extra explanation appended in parentheses. */
  note?: string;
  envVar?: string;
  /** An environment override rather than the file. @defaultValue "file" */
  source?: "file" | "environment";
  /** Point at the key instead of its value (unknown keys, bad alias names). @defaultValue "value" */
  target?: "key" | "value";
}

/** `found "antropic", expected one of … (did you mean "anthropic"?)` */
export function composeIssueMessage(draft: IssueDraft): string {
  let message = draft.summary ?? (draft.found === undefined ? "missing" : `found ${draft.found}`);
  if (draft.expected !== undefined) message += `, expected ${draft.expected}`;
  if (draft.note !== undefined) message += ` (${draft.note})`;
  if (draft.suggestion !== undefined) message += ` (did you mean "${draft.suggestion}"?)`;
  return message;
}

export function toConfigIssue(
  draft: IssueDraft,
  position: SourcePosition | undefined,
): ConfigIssue {
  const source = draft.source ?? "file";
  const issue: ConfigIssue = {
    keyPath: formatKeyPath(draft.path),
    path: draft.path,
    message: composeIssueMessage(draft),
    source,
  };
  if (position !== undefined && source === "file") {
    issue.line = position.line;
    issue.column = position.column;
  }
  if (draft.found !== undefined) issue.found = draft.found;
  if (draft.expected !== undefined) issue.expected = draft.expected;
  if (draft.suggestion !== undefined) issue.suggestion = draft.suggestion;
  if (draft.envVar !== undefined) issue.envVar = draft.envVar;
  return issue;
}

/** File issues in reading order, then those without a position (environment, built-ins). */
export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const rank = (issue: ConfigIssue): number =>
    issue.line === undefined ? Number.MAX_SAFE_INTEGER : issue.line * 100_000 + (issue.column ?? 0);
  return [...issues].sort((left, right) => rank(left) - rank(right));
}
