import { z } from "zod";
import { configSchema } from "./schema.js";

const DESCRIPTION =
  "Models, fallback chains, budgets and gateway settings for Orkestra. String values may use " +
  // biome-ignore lint/suspicious/noTemplateCurlyInString: names the ${VAR} syntax for the user.
  "${VAR} and ${VAR:-default} environment interpolation.";

const INTERPOLATED_STRING = { type: "string", pattern: "\\$\\{" } as const;

/**
 * JSON Schema (draft 2020-12) of `orkestra.yaml` as written: keys with defaults are optional,
 * and a string checked by pattern or format also accepts a `${VAR}` reference, since the
 * editor sees the text before interpolation. Cross-references (fallback chains naming
 * configured aliases) cannot be expressed here; loadConfig checks them.
 */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, { io: "input", target: "draft-2020-12" });
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "Orkestra configuration (orkestra.yaml)",
    description: DESCRIPTION,
    ...(allowInterpolation(generated) as Record<string, unknown>),
  };
}

function allowInterpolation(node: unknown, isKeySchema = false): unknown {
  if (Array.isArray(node)) return node.map((item) => allowInterpolation(item));
  if (typeof node !== "object" || node === null) return node;
  const entries = Object.entries(node).map(([key, value]) => [
    key,
    // Keys are never interpolated; their patterns stay as they are.
    key === "properties" && isPlainObject(value)
      ? Object.fromEntries(
          Object.entries(value).map(([name, item]) => [name, allowInterpolation(item)]),
        )
      : allowInterpolation(value, key === "propertyNames"),
  ]);
  const schema: Record<string, unknown> = Object.fromEntries(entries);
  const isCheckedString =
    schema.type === "string" && (schema.pattern !== undefined || schema.format !== undefined);
  if (!isCheckedString || isKeySchema) return schema;
  const { default: defaultValue, description, ...check } = schema;
  return {
    ...(description === undefined ? {} : { description }),
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    anyOf: [check, INTERPOLATED_STRING],
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
