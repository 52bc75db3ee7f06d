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

export interface OutputSchema {
  schema: ZodType;
  /** The top-level field names, for checking `steps.x.object.<field>`. */
  fields: ReadonlySet<string>;
}

/**
 * A prompt step's `schema:` written the short way: `{ score: number, tags: string[],
 * detail: { line: integer } }`. A name ending in `?` is optional (`note?: string`).
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
    const isList = type.endsWith("[]");
    const name = (isList ? type.slice(0, -2) : type) as ScalarName;
    if (Object.hasOwn(SCALARS, name)) {
      const scalar = SCALARS[name]();
      return isList ? z.array(scalar) : scalar;
    }
  }
  const draft: IssueDraft = {
    path,
    found: typeof type === "string" ? JSON.stringify(type) : String(type),
    expected: `a type, ${oneOf(TYPE_NAMES)}, or a mapping of fields`,
  };
  const suggestion = typeof type === "string" ? didYouMean(type, TYPE_NAMES) : undefined;
  if (suggestion !== undefined) draft.suggestion = suggestion;
  problems.push(draft);
  return z.unknown();
}
