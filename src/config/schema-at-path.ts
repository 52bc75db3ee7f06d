import { z } from "zod";

type Schema = z.core.$ZodType;

/** Strips wrappers that do not change what a value must look like (optional, default, …). */
export function unwrapSchema(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodNonOptional ||
      current instanceof z.ZodReadonly
    ) {
      current = current.unwrap();
    } else if (current instanceof z.ZodPipe) {
      current = current.in;
    } else {
      return current;
    }
  }
}

/**
 * The schema that applies at `path`, following the data through discriminated unions (the
 * `provider` of a model decides which keys it allows). Undefined when the path leaves the schema.
 */
export function schemaAtPath(
  root: Schema,
  path: readonly PropertyKey[],
  data: unknown,
): Schema | undefined {
  let schema = unwrapSchema(root);
  let value = data;
  for (const segment of path) {
    schema = selectUnionOption(schema, value);
    let child: Schema | undefined;
    if (schema instanceof z.ZodObject) child = ownProperty(schema.shape, String(segment));
    else if (schema instanceof z.ZodRecord) child = schema.valueType;
    else if (schema instanceof z.ZodArray) child = schema.element;
    else if (schema instanceof z.ZodTuple) child = schema._zod.def.items[Number(segment)];
    if (child === undefined) return undefined;
    schema = unwrapSchema(child);
    value = valueAtPath(value, [segment]);
  }
  return schema;
}

/** For a discriminated union, the option chosen by the value's discriminator; else the schema. */
export function selectUnionOption(schema: Schema, value: unknown): Schema {
  if (!(schema instanceof z.ZodDiscriminatedUnion)) return schema;
  const discriminator = schema._zod.def.discriminator;
  const chosen = valueAtPath(value, [discriminator]);
  for (const option of schema.options) {
    if (!(option instanceof z.ZodObject)) continue;
    const literal = unwrapSchema(option.shape[discriminator] ?? option);
    if (literal instanceof z.ZodLiteral && literal.values.has(chosen as z.core.util.Literal)) {
      return option;
    }
  }
  return schema;
}

/** The keys an object at this schema may have, or undefined when any key goes. */
export function allowedKeys(schema: Schema | undefined, value: unknown): string[] | undefined {
  if (schema === undefined) return undefined;
  const selected = selectUnionOption(unwrapSchema(schema), value);
  if (selected instanceof z.ZodObject) return Object.keys(selected.shape);
  if (selected instanceof z.ZodRecord) {
    const keyType = unwrapSchema(selected.keyType);
    if (keyType instanceof z.ZodEnum) return keyType.options.map(String);
  }
  return undefined;
}

export function valueAtPath(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = ownProperty(value as Record<PropertyKey, unknown>, segment);
  }
  return value;
}

/** Own properties only: a key named `constructor` must not find Object.prototype's. */
function ownProperty<Value>(
  record: Record<PropertyKey, Value>,
  key: PropertyKey,
): Value | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
