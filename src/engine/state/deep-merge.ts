/** A plain object (not an array, not null, not a class instance such as Date). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Merges `update` into `current`, recursively for plain objects; anything else (arrays
 * included) in `update` replaces what was there. Neither argument is changed.
 */
export function deepMerge(current: unknown, update: unknown): unknown {
  if (!isPlainObject(current) || !isPlainObject(update)) return update;
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(update)) {
    merged[key] = key in merged ? deepMerge(merged[key], value) : value;
  }
  return merged;
}
