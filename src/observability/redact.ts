/** What a redacted secret is replaced with. */
export const REDACTED = "***";

/**
 * Token shapes of the common providers. Each pattern matches the whole secret so the
 * replacement leaves no suffix behind.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI (sk-..., sk-proj-...)
  /\bxai-[A-Za-z0-9_-]{16,}/g, // xAI
  /\bAIza[0-9A-Za-z_-]{30,}/g, // Google API keys
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g, // GitHub fine-grained tokens
];

const BEARER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** `scheme://user:password@host` keeps the user, hides the password. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):([^\s@/]+)@/gi;
/** `password=...`, `api_key: ...` and the like inside free text. */
const ASSIGNED_SECRET =
  /\b(password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)(["']?\s*[:=]\s*["']?)([^\s"'&,;]+)/gi;

/** Field names whose values are secrets whatever they look like. */
const SECRET_KEY =
  /^(authorization|proxy-authorization|x-api-key|api-key|apikey|api_key|x-goog-api-key|password|passwd|secret|client_secret|token|access_token|refresh_token|private_key|cookie|set-cookie)$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Replaces every secret-looking substring of `text`. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const pattern of SECRET_PATTERNS) result = result.replace(pattern, REDACTED);
  return result
    .replace(BEARER, (_match, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(URL_PASSWORD, (_match, prefix: string) => `${prefix}:${REDACTED}@`)
    .replace(
      ASSIGNED_SECRET,
      (_match, key: string, separator: string) => `${key}${separator}${REDACTED}`,
    );
}

/**
 * Deep copy of `value` with secrets removed: string leaves are scrubbed, values under secret
 * field names are replaced whole, Errors become plain objects with scrubbed message and stack.
 * Cycles are cut.
 */
export function redactValue(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === "string") return redactSecrets(value);
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value)) return "[Circular]";
  seen.add(value);
  if (value instanceof Error) {
    const plain: Record<string, unknown> = {
      type: value.name,
      message: redactSecrets(value.message),
    };
    if (value.stack) plain.stack = redactSecrets(value.stack);
    for (const [key, inner] of Object.entries(value)) {
      plain[key] = isSecretKey(key) ? REDACTED : redactValue(inner, seen);
    }
    if (value.cause !== undefined) plain.cause = redactValue(value.cause, seen);
    return plain;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen));
  if (value instanceof Date) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    copy[key] =
      isSecretKey(key) && inner !== null && inner !== undefined
        ? REDACTED
        : redactValue(inner, seen);
  }
  return copy;
}
