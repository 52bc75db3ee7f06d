import { createRedactor, type Redactor } from "../../observability/index.js";

/** Deeper than this, a copied branch is cut: a body is JSON, never this deep. */
const MAX_DEPTH = 32;

const redactors = new WeakMap<readonly string[], Redactor>();

/**
 * The redactor for one list of secrets, compiled once per list: the registry hands out the
 * same array until a new key appears.
 */
export function redactorFor(secrets: readonly string[]): Redactor {
  let redactor = redactors.get(secrets);
  if (redactor === undefined) {
    redactor = createRedactor(secrets);
    redactors.set(secrets, redactor);
  }
  return redactor;
}

type RedactText = (text: string) => string;

/**
 * `cause` without any known secret or secret-looking string, for `ModelError.cause`: the SDK's
 * error keeps the raw exchange (APICallError's `responseBody`, `requestBodyValues`,
 * `responseHeaders`, `url`, `data`), and a server may echo a key or header it was sent, so code
 * that logs `error.cause` would leak it.
 *
 * Errors are cleaned in place and stay the same objects (class, SDK markers, `isInstance` and
 * the cause chain keep working): message, stack and each own property. Objects and arrays
 * below them are replaced with cleaned copies, never changed: a request body may share
 * objects with the caller's request (a JSON schema) that the next attempt sends again. Other
 * objects (Maps, class instances) are left as they are.
 */
export function scrubCause(cause: unknown, redactText: RedactText): unknown {
  return scrub(cause, { text: redactText, errors: new WeakSet(), ancestors: new WeakSet() }, 0);
}

interface Walk {
  text: RedactText;
  /** Errors already cleaned: each once, also when a chain loops. */
  errors: WeakSet<Error>;
  /** Plain objects and arrays on the path being copied. */
  ancestors: WeakSet<object>;
}

function scrub(value: unknown, walk: Walk, depth: number): unknown {
  if (typeof value === "string") return walk.text(value);
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Error) {
    if (!walk.errors.has(value)) {
      walk.errors.add(value);
      scrubErrorInPlace(value, walk, depth);
    }
    return value;
  }
  if (!Array.isArray(value) && !isPlainObject(value)) return value;
  if (walk.ancestors.has(value)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Too deep]";
  walk.ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => scrub(item, walk, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(copy, walk.text(key), {
        value: scrub(item, walk, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  } finally {
    walk.ancestors.delete(value);
  }
}

function scrubErrorInPlace(error: Error, walk: Walk, depth: number): void {
  for (const key of Reflect.ownKeys(error)) {
    if (typeof key === "symbol") continue;
    const descriptor = Object.getOwnPropertyDescriptor(error, key);
    if (descriptor === undefined || !("value" in descriptor) || descriptor.writable !== true) {
      continue;
    }
    const cleaned = scrub(descriptor.value, walk, depth + 1);
    if (cleaned !== descriptor.value)
      Object.defineProperty(error, key, { ...descriptor, value: cleaned });
  }
  // Where `stack` is an accessor rather than an own value, it is set through the accessor.
  try {
    const stack = error.stack;
    if (typeof stack === "string") {
      const cleaned = walk.text(stack);
      if (cleaned !== stack) error.stack = cleaned;
    }
  } catch {
    // A stack that cannot be read or set holds nothing we could clean.
  }
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
