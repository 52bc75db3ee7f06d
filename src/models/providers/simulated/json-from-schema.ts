import type { JSONSchema7, JSONSchema7Definition } from "@ai-sdk/provider";

/**
 * A value that satisfies simple JSON Schemas (objects, arrays, enums, primitives), so the
 * simulated provider can answer structured-output requests. `pick` chooses among enum values
 * and booleans, letting a seeded generator vary answers.
 */
export function jsonFromSchema(
  definition: JSONSchema7Definition | undefined,
  pick: () => number,
): unknown {
  if (definition === undefined || typeof definition === "boolean") return "simulated";
  const schema: JSONSchema7 = definition;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) {
    return schema.enum[Math.floor(pick() * schema.enum.length)] ?? schema.enum[0];
  }
  if (schema.default !== undefined) return schema.default;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) return jsonFromSchema(alternatives[0], pick);
  const type = Array.isArray(schema.type)
    ? schema.type.find((item: string) => item !== "null")
    : schema.type;
  switch (type) {
    case "object": {
      const result: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        result[key] = jsonFromSchema(property, pick);
      }
      return result;
    }
    case "array": {
      const items = Array.isArray(schema.items) ? schema.items[0] : schema.items;
      const count = Math.max(schema.minItems ?? 1, 1);
      return Array.from({ length: count }, () => jsonFromSchema(items, pick));
    }
    case "integer":
    case "number": {
      const low = schema.minimum ?? schema.exclusiveMinimum ?? 0;
      const high = schema.maximum ?? schema.exclusiveMaximum ?? Math.max(low, 10);
      const value = low + pick() * (high - low);
      return type === "integer" ? Math.round(value) : Number(value.toFixed(2));
    }
    case "boolean":
      return pick() < 0.5;
    case "null":
      return null;
    default: {
      const text = "simulated";
      return schema.minLength && schema.minLength > text.length
        ? text.padEnd(schema.minLength, ".")
        : text;
    }
  }
}
