import { type ZodType, z } from "zod";
import { didYouMean, type IssueDraft, oneOf } from "../../config/index.js";

const SCALARS = {
  string: () => z.string(),
  number: () => z.number(),
  integer: () => z.number().int(),
  boolean: () => z.boolean(),
  object: () => z.record(z.string(), z.unknown()),
  array: () => z.array(z.unknown()),
} as const;
type ScalarName = keyof typeof SCALARS;
const TYPE_NAMES = [...Object.keys(SCALARS), ...Object.keys(SCALARS).map((name) => `${name}[]`)];
const BOUNDED = new Set<string>(["number", "integer"]);
const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
/** `number(0..1)`, `integer(1..)`, `number(..100)[]`: a type, an optional range, a list mark. */
const TYPE_PATTERN = new RegExp(String.raw`^(\w+)(?:\((${NUMBER})?\.\.(${NUMBER})?\))?(\[\])?$`);

export interface OutputSchema {
  schema: ZodType;
  /** The top-level field names, for checking `steps.x.object.<field>`. */
  fields: ReadonlySet<string>;
}

/**
 * A prompt step's `schema:` written the short way: `{ score: number(0..1), tags: string[],
 * detail: { line: integer } }`. A name ending in `?` is optional (`note?: string`). A range
 * becomes JSON Schema `minimum`/`maximum`, which models (and the simulated one) are asked to
 * honour, and is checked when the output is validated.
 */
export function outputSchemaFromShorthand(
  shorthand: Readonly<Record<string, unknown>>,
  path: readonly (string | number)[],
  problems: IssueDraft[],
): OutputSchema {
  const shape: Record<string, ZodType> = {};
  for (const [key, type] of Object.entries(shorthand)) {
    const optional = key.endsWith("?");
    const name = optional ? key.slice(0, -1) : key;
    const field = fieldSchema(type, [...path, key], problems);
    shape[name] = optional ? field.optional() : field;
  }
  return { schema: z.object(shape), fields: new Set(Object.keys(shape)) };
}

function fieldSchema(
  type: unknown,
  path: readonly (string | number)[],
  problems: IssueDraft[],
): ZodType {
  if (typeof type === "object" && type !== null && !Array.isArray(type)) {
    return outputSchemaFromShorthand(type as Record<string, unknown>, path, problems).schema;
  }
  if (typeof type === "string") {
    const field = scalarSchema(type);
    if (field !== undefined) return field;
  }
  const draft: IssueDraft = {
    path,
    found: typeof type === "string" ? JSON.stringify(type) : String(type),
    expected:
      typeof type === "string" && type.includes("(")
        ? "a range on number or integer, low end first: number(0..1), integer(1..), number(..100)"
        : `a type, ${oneOf(TYPE_NAMES)}, or a mapping of fields`,
  };
  const suggestion =
    typeof type === "string" ? didYouMean(type.replace(/\(.*\)/, ""), TYPE_NAMES) : undefined;
  if (suggestion !== undefined) draft.suggestion = suggestion;
  problems.push(draft);
  return z.unknown();
}

function scalarSchema(type: string): ZodType | undefined {
  const match = TYPE_PATTERN.exec(type);
  if (!match) return undefined;
  const [, name = "", low, high, list] = match;
  if (!Object.hasOwn(SCALARS, name)) return undefined;
  const hasRange = type.includes("(");
  if (hasRange && !BOUNDED.has(name)) return undefined;
  let scalar: ZodType = SCALARS[name as ScalarName]();
  if (hasRange) {
    if (low !== undefined && high !== undefined && Number(low) > Number(high)) return undefined;
    let bounded = scalar as z.ZodNumber;
    if (low !== undefined) bounded = bounded.min(Number(low));
    if (high !== undefined) bounded = bounded.max(Number(high));
    scalar = bounded;
  }
  return list ? z.array(scalar) : scalar;
}
