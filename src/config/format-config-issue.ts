import type { ConfigIssue } from "./config-issue.js";

/**
 * One line per issue, compiler style, so editors and terminals can jump to it:
 * `orkestra.yaml:12:15 models.claude.provider: found "antropic", expected one of …`.
 */
export function formatConfigIssue(issue: ConfigIssue, displayFile: string | undefined): string {
  if (issue.source === "environment") {
    const target = issue.keyPath === "" ? "" : ` (${issue.keyPath})`;
    return `environment variable ${issue.envVar ?? "?"}${target}: ${issue.message}`;
  }
  const position = issue.line === undefined ? "" : `:${issue.line}:${issue.column ?? 1}`;
  const location = `${displayFile ?? "configuration"}${position}`;
  return issue.keyPath === ""
    ? `${location}: ${issue.message}`
    : `${location} ${issue.keyPath}: ${issue.message}`;
}

/** `["fallbacks", "smart", 1]` → `fallbacks.smart[1]`; odd keys are quoted: `models["gpt-4.1"]`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment)) {
      text += text === "" ? segment : `.${segment}`;
    } else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}
