import { formatKeyPath } from "./format-config-issue.js";

/** Environment variables that override a key of the file. */
export const ENVIRONMENT_OVERRIDES = [
  { variable: "ORKESTRA_STORE", path: ["store"] },
  { variable: "LOG_LEVEL", path: ["log", "level"] },
  { variable: "WORKSPACE_DIR", path: ["workspace"] },
] as const;

export interface OverrideResult {
  data: Record<string, unknown>;
  /** Formatted key path → the variable that set it, to blame the variable, not the file. */
  overriddenPaths: Map<string, string>;
}

/**
 * Writes the set overrides into the data. An empty variable counts as unset, as `LOG_LEVEL=` in
 * a shell usually means "no preference". LOG_LEVEL is lower-cased because other tools accept
 * `LOG_LEVEL=INFO`. Relative WORKSPACE_DIR is resolved later, against the working directory.
 */
export function applyEnvironmentOverrides(
  data: Record<string, unknown>,
  environment: Readonly<Record<string, string | undefined>>,
): OverrideResult {
  const result: Record<string, unknown> = { ...data };
  const overriddenPaths = new Map<string, string>();
  for (const { variable, path } of ENVIRONMENT_OVERRIDES) {
    const raw = environment[variable];
    if (raw === undefined || raw.trim() === "") continue;
    const value = variable === "LOG_LEVEL" ? raw.trim().toLowerCase() : raw.trim();
    if (setAtPath(result, path, value)) overriddenPaths.set(formatKeyPath(path), variable);
  }
  return { data: result, overriddenPaths };
}

/** Sets a nested key, copying parents; refuses when a parent in the file is not a mapping. */
function setAtPath(
  target: Record<string, unknown>,
  path: readonly string[],
  value: string,
): boolean {
  const [head, ...rest] = path;
  if (head === undefined) return false;
  if (rest.length === 0) {
    target[head] = value;
    return true;
  }
  const existing = target[head];
  if (
    existing !== undefined &&
    (typeof existing !== "object" || existing === null || Array.isArray(existing))
  ) {
    // The file's own value is wrong; validation reports it against the file.
    return false;
  }
  const child: Record<string, unknown> = { ...(existing as Record<string, unknown> | undefined) };
  target[head] = child;
  return setAtPath(child, rest, value);
}
