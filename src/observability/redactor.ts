import { redactSecrets } from "./redact.js";
import { redactValueWith } from "./redact-value.js";
import { REDACTED } from "./secret-patterns.js";

/**
 * Exact values shorter than this are not scrubbed from text: a header value such as `on` or
 * `1` would be replaced wherever those letters occur and wreck every message, and a value that
 * short protects nothing. Eight characters is also the shortest credential the patterns of
 * `redactSecrets` accept after `Bearer`.
 */
export const MIN_SECRET_LENGTH = 8;

/**
 * The forms a value takes in text: as written, inside a JSON string (a server's error body
 * quoting it), and percent-encoded (in a URL).
 */
function forms(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])];
}

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** What output is cleaned with: the secret patterns, plus exact values known to be secrets. */
export interface Redactor {
  /** `redactSecrets`, and each known value replaced with `***`. */
  text(text: string): string;
  /** `redactValue`, and each known value replaced with `***` in every string. */
  value(value: unknown): unknown;
}

/**
 * A redactor that also removes `secrets` wherever they occur, whatever their shape: the values
 * a configuration marks as secret (`LoadedConfig.secrets`: API keys, header values, values of
 * `${VAR}`). Values shorter than MIN_SECRET_LENGTH are left to the patterns.
 */
export function createRedactor(secrets: Iterable<string> = []): Redactor {
  const text = knownSecretsRedactor(secrets);
  return { text, value: (value) => redactValueWith(value, text) };
}

/**
 * Replaces the exact values in `secrets` (of at least MIN_SECRET_LENGTH characters), then every
 * secret-looking substring (`redactSecrets`). Longest values first, so a value that contains
 * another is removed whole.
 */
function knownSecretsRedactor(secrets: Iterable<string>): (text: string) => string {
  const candidates = [...new Set(secrets)].filter((secret) => secret.length >= MIN_SECRET_LENGTH);
  if (candidates.length === 0) return redactSecrets;
  const alternatives = [...new Set(candidates.flatMap(forms))]
    .sort((left, right) => right.length - left.length)
    .map(escapeForPattern);
  const pattern = new RegExp(alternatives.join("|"), "g");
  return (text) => redactSecrets(text.replace(pattern, REDACTED));
}
