// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is this file's subject, not a mistaken template.
import { formatKeyPath } from "./format-config-issue.js";
import type { IssueDraft } from "./issue-draft.js";

export interface InterpolationResult {
  /** The data with every `${…}` in string values replaced. */
  value: unknown;
  issues: IssueDraft[];
  /** Key paths (as formatted by formatKeyPath) of the strings that contained `${…}`. */
  interpolatedPaths: Set<string>;
  /**
   * The values taken from the environment (not the `:-` defaults written in the file), each
   * non-empty value once: secrets, whatever the variable is called.
   */
  secretValues: string[];
  /** Formatted key path → the variables whose (non-empty) values went into that string. */
  secretPaths: Map<string, string[]>;
}

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;
const EXPECTED_SYNTAX = "${NAME} or ${NAME:-default} (write $${ for a literal ${)";

/**
 * Replaces `${VAR}` and `${VAR:-default}` in string values of already-parsed YAML, so an
 * environment value can never inject YAML structure. Keys are left alone. Rules, as in a POSIX
 * shell: `:-` applies when the variable is unset or empty; a set-but-empty `${VAR}` yields "".
 * `$${` is a literal `${`. The result is always a string: `timeoutMs: ${TIMEOUT}` is a string
 * and fails validation; numbers and booleans come from the YAML itself.
 */
export function interpolateEnvironment(
  data: unknown,
  environment: Readonly<Record<string, string | undefined>>,
): InterpolationResult {
  const issues: IssueDraft[] = [];
  const interpolatedPaths = new Set<string>();
  const secretValues = new Set<string>();
  const secretPaths = new Map<string, string[]>();

  const visit = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === "string") {
      if (!value.includes("${")) return value;
      const keyPath = formatKeyPath(path);
      interpolatedPaths.add(keyPath);
      const used: string[] = [];
      const output = interpolateString(value, environment, path, issues, (name, variable) => {
        secretValues.add(variable);
        if (!used.includes(name)) used.push(name);
      });
      if (used.length > 0) secretPaths.set(keyPath, used);
      return output;
    }
    if (Array.isArray(value)) return value.map((item, index) => visit(item, [...path, index]));
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, visit(item, [...path, key])]),
      );
    }
    return value;
  };

  const value = visit(data, []);
  return { value, issues, interpolatedPaths, secretValues: [...secretValues], secretPaths };
}

function interpolateString(
  text: string,
  environment: Readonly<Record<string, string | undefined>>,
  path: (string | number)[],
  issues: IssueDraft[],
  onVariable: (name: string, value: string) => void,
): string {
  let output = "";
  let index = 0;
  while (index < text.length) {
    if (text.startsWith("$${", index)) {
      output += "${";
      index += 3;
      continue;
    }
    if (!text.startsWith("${", index)) {
      output += text[index];
      index += 1;
      continue;
    }
    const close = text.indexOf("}", index + 2);
    const reference = close === -1 ? undefined : REFERENCE.exec(text.slice(index + 2, close));
    if (close === -1 || reference === undefined || reference === null) {
      const end = close === -1 ? text.length : close + 1;
      issues.push({
        path,
        found: JSON.stringify(text.slice(index, end)),
        expected: EXPECTED_SYNTAX,
      });
      output += text.slice(index, end);
      index = end;
      continue;
    }
    const name = reference[1]!;
    const fallback = reference[2];
    const value = environment[name];
    if (fallback !== undefined && (value === undefined || value === "")) {
      output += fallback;
    } else if (value !== undefined) {
      output += value;
      if (value !== "") onVariable(name, value);
    } else {
      issues.push({
        path,
        envVar: name,
        summary: `environment variable ${name} is not set; set it or write \${${name}:-value}`,
      });
      output += text.slice(index, close + 1);
    }
    index = close + 1;
  }
  return output;
}
