// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is what the user wrote; messages name it.
import { formatKeyPath } from "./format-config-issue.js";
import type { IssueDraft } from "./issue-draft.js";

/** Long enough to replace wherever it occurs in a message without hitting ordinary words. */
const MIN_RAW_REPLACEMENT = 8;

/**
 * A draft about a value that took an environment variable's value (or a list or mapping that
 * holds one) names the variable instead of showing the value: values from the environment
 * are treated as secrets, and a config error is printed, logged and put in `--json`.
 *
 * @param secretPaths formatted key path → the variables whose values went into that string
 */
export function hideSecretValues(
  draft: IssueDraft,
  secretPaths: ReadonlyMap<string, readonly string[]>,
  environment: Readonly<Record<string, string | undefined>>,
): IssueDraft {
  const keyPath = formatKeyPath(draft.path);
  const names = new Set<string>();
  for (const [path, variables] of secretPaths) {
    if (isAtOrBelow(path, keyPath)) for (const name of variables) names.add(name);
  }
  if (names.size === 0) return draft;
  const hidden: IssueDraft = { ...draft };
  if (draft.found !== undefined) {
    const kind = draft.found.startsWith("a string ") ? "a string" : "a value";
    const variables = [...names].map((name) => `\${${name}}`).join(", ");
    hidden.found = `${kind} from ${variables} (not shown)`;
  }
  if (draft.summary !== undefined) {
    let summary = draft.summary;
    for (const name of names) {
      const value = environment[name];
      if (!value) continue;
      summary = summary.replaceAll(JSON.stringify(value), `\${${name}}`);
      if (value.length >= MIN_RAW_REPLACEMENT) summary = summary.replaceAll(value, `\${${name}}`);
    }
    hidden.summary = summary;
  }
  return hidden;
}

function isAtOrBelow(path: string, ancestor: string): boolean {
  if (ancestor === "" || path === ancestor) return true;
  return path.startsWith(`${ancestor}.`) || path.startsWith(`${ancestor}[`);
}
