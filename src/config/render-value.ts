const MAX_TEXT_LENGTH = 40;

/**
 * The value as it appeared, for "found …" when the type was right but the value was not:
 * `"antropic"`, `-1`, `[1, 2, 3]`.
 */
export function renderValue(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (Array.isArray(value)) return truncate(`[${value.map(renderShallow).join(", ")}]`);
  if (typeof value === "object" && value !== null) return "a mapping";
  return String(value);
}

/**
 * The value with its type, for "found …" when the type was wrong: `a string "abc"`,
 * `a number 5`, `a list of 3 items`.
 */
export function describeFound(value: unknown): string {
  if (value === null) return "nothing (null)";
  if (value === undefined) return "nothing";
  if (typeof value === "string") return `a string ${quote(value)}`;
  if (typeof value === "number") return `a number ${value}`;
  if (typeof value === "boolean") return `a boolean ${value}`;
  if (Array.isArray(value)) return describeList(value);
  if (typeof value === "object") return "a mapping";
  return `a ${typeof value}`;
}

export function describeList(value: readonly unknown[]): string {
  if (value.length === 0) return "an empty list";
  return value.length === 1 ? "a list of 1 item" : `a list of ${value.length} items`;
}

function renderShallow(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (Array.isArray(value)) return "[…]";
  if (typeof value === "object" && value !== null) return "{…}";
  return String(value);
}

function quote(text: string): string {
  return JSON.stringify(truncate(text));
}

function truncate(text: string): string {
  return text.length > MAX_TEXT_LENGTH ? `${text.slice(0, MAX_TEXT_LENGTH - 1)}…` : text;
}
