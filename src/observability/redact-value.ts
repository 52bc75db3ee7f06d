import { isSecretKey, REDACTED, redactSecrets } from "./redact.js";

type RedactText = (text: string) => string;

/** Deeper than this, a branch is cut: a log call must not overflow the stack. */
const MAX_DEPTH = 32;

/** Header names that mark the next item of a flat `[name, value, name, value]` list. */
const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "x-api-key",
  "x-goog-api-key",
  "api-key",
  "cookie",
  "set-cookie",
]);

/**
 * A JSON-ready deep copy of `value` with secrets removed, for logs, audit rows and printed
 * documents:
 * - string leaves (and object keys) are scrubbed with `redactSecrets`;
 * - values under secret field names (`isSecretKey`) are replaced whole, except `null`,
 *   `undefined` and booleans, which carry no secret;
 * - `[name, value]` entry lists and flat `[name, value, …]` header lists are treated like
 *   objects;
 * - Errors become `{ type, message, stack, …own fields, cause, errors }`;
 * - URLs and URLSearchParams become scrubbed strings; Headers and Maps become plain objects;
 *   Sets become arrays; Buffers and typed arrays become `"[Buffer: 12 bytes]"` (their bytes may
 *   be a request body); other objects with `toJSON` are copied from what it returns;
 * - Dates, numbers, bigints and functions are kept;
 * - cycles become `"[Circular]"` (an object seen twice on different branches is copied twice),
 *   branches deeper than 32 become `"[Too deep]"`, unreadable objects `"[Unreadable]"`.
 *
 * @param seen objects on the path from the root; callers normally leave it out.
 */
export function redactValue(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  return redactNode(value, { text: redactSecrets, ancestors: seen }, 0);
}

/** `redactValue` with another rule for strings, e.g. one that also removes known values. */
export function redactValueWith(value: unknown, redactText: RedactText): unknown {
  return redactNode(value, { text: redactText, ancestors: new WeakSet() }, 0);
}

interface Walk {
  /** Redacts one string: a leaf, a key, an error message. */
  text: RedactText;
  /** Objects on the path from the root. */
  ancestors: WeakSet<object>;
}

function redactNode(value: unknown, walk: Walk, depth: number): unknown {
  if (typeof value === "string") return walk.text(value);
  if (typeof value !== "object" || value === null || value instanceof Date) return value;
  if (walk.ancestors.has(value)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Too deep]";
  walk.ancestors.add(value);
  try {
    return redactObject(value, walk, depth + 1);
  } catch {
    // A throwing getter or a revoked proxy: logging must not throw because of what it logs.
    return "[Unreadable]";
  } finally {
    walk.ancestors.delete(value);
  }
}

function redactObject(value: object, walk: Walk, depth: number): unknown {
  const inner = (item: unknown): unknown => redactNode(item, walk, depth);
  const text = walk.text;
  if (value instanceof Error) return redactError(value, inner, text);
  if (Array.isArray(value)) return redactArray(value, inner, text);
  if (value instanceof URL) return text(value.href);
  if (value instanceof URLSearchParams) return text(`?${value.toString()}`).slice(1);
  if (value instanceof Headers || value instanceof Map) {
    return redactEntries(value.entries(), inner, text);
  }
  if (value instanceof Set) return Array.from(value, inner);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    const name = Buffer.isBuffer(value) ? "Buffer" : value.constructor.name;
    return `[${name}: ${value.byteLength} bytes]`;
  }
  const toJSON: unknown = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    const json: unknown = toJSON.call(value);
    if (json !== value) return inner(json);
  }
  return redactEntries(Object.entries(value), inner, text);
}

function redactEntries(
  entries: Iterable<[unknown, unknown]>,
  inner: (item: unknown) => unknown,
  text: RedactText,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    const name = String(key);
    setOwn(copy, text(name), redactField(name, item, inner));
  }
  return copy;
}

function redactField(key: string, item: unknown, inner: (item: unknown) => unknown): unknown {
  if (item === null || item === undefined || typeof item === "boolean") return item;
  return isSecretKey(key) ? REDACTED : inner(item);
}

/** `copy[key] = item`, also for a key named `__proto__` (which would replace the prototype). */
function setOwn(copy: Record<string, unknown>, key: string, item: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true });
  } else {
    copy[key] = item;
  }
}

function redactArray(
  items: readonly unknown[],
  inner: (item: unknown) => unknown,
  text: RedactText,
): unknown[] {
  if (isEntryList(items)) {
    return items.map(([name, item]) => [text(name), redactField(name, item, inner)]);
  }
  if (isFlatHeaderList(items)) {
    return items.map((item, index) =>
      index % 2 === 1 && SECRET_HEADERS.has(items[index - 1]!.toLowerCase())
        ? REDACTED
        : text(item),
    );
  }
  return items.map(inner);
}
/** `[["authorization", "Bearer …"], ["accept", "*\/*"]]`, as `Object.entries` or `new Headers()` take. */
function isEntryList(items: readonly unknown[]): items is readonly [string, unknown][] {
  return (
    items.length > 0 &&
    items.every((item) => Array.isArray(item) && item.length === 2 && typeof item[0] === "string")
  );
}

/** `["Authorization", "Bearer …", "Host", "…"]`, as Node's `rawHeaders`. */
function isFlatHeaderList(items: readonly unknown[]): items is readonly string[] {
  if (items.length === 0 || items.length % 2 !== 0) return false;
  let named = false;
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index];
    if (typeof item !== "string") return false;
    if (index % 2 === 0 && SECRET_HEADERS.has(item.toLowerCase())) named = true;
  }
  return named;
}

function redactError(
  error: Error,
  inner: (item: unknown) => unknown,
  text: RedactText,
): Record<string, unknown> {
  const plain: Record<string, unknown> = {
    type: error.name,
    message: text(error.message),
  };
  if (error.stack) plain.stack = text(error.stack);
  for (const [key, item] of Object.entries(error)) {
    setOwn(plain, text(key), redactField(key, item, inner));
  }
  if (error.cause !== undefined) plain.cause = inner(error.cause);
  // AggregateError keeps `errors` as an own property that is not enumerable.
  const errors: unknown = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors) && !("errors" in plain)) plain.errors = inner(errors);
  return plain;
}
