// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is this file's subject, not a mistaken template.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { configJsonSchema } from "./config-json-schema.js";

type JsonSchema = Record<string, unknown>;

/** Keywords of JSON Schema draft 2020-12 (core, applicator, validation, format, meta-data). */
const DRAFT_2020_12_KEYWORDS = new Set([
  "$schema",
  "$id",
  "$ref",
  "$defs",
  "$anchor",
  "$dynamicRef",
  "$dynamicAnchor",
  "$comment",
  "type",
  "enum",
  "const",
  "properties",
  "additionalProperties",
  "patternProperties",
  "propertyNames",
  "required",
  "items",
  "prefixItems",
  "contains",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "anyOf",
  "oneOf",
  "allOf",
  "not",
  "if",
  "then",
  "else",
  "minProperties",
  "maxProperties",
  "dependentRequired",
  "dependentSchemas",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
]);

/**
 * A small validator for the keywords the generated schema uses, so the test checks that the
 * schema accepts real files and rejects broken ones without a JSON Schema library. Unknown
 * keywords fail loudly instead of being skipped.
 */
function validate(schema: JsonSchema | boolean, value: unknown, path = "$"): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: not allowed`];
  const errors: string[] = [];
  const fail = (message: string) => errors.push(`${path}: ${message}`);
  for (const [keyword, argument] of Object.entries(schema)) {
    switch (keyword) {
      case "$schema":
      case "title":
      case "description":
      case "default":
      case "format":
        break;
      case "type": {
        const actual = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
        const ok =
          argument === actual ||
          (argument === "integer" && Number.isInteger(value)) ||
          (argument === "object" && actual === "object");
        if (!ok) fail(`expected ${String(argument)}, got ${actual}`);
        break;
      }
      case "const":
        if (value !== argument) fail(`expected ${JSON.stringify(argument)}`);
        break;
      case "enum":
        if (!(argument as unknown[]).includes(value)) fail(`not in enum`);
        break;
      case "minimum":
        if (typeof value === "number" && value < Number(argument)) fail(`< ${argument}`);
        break;
      case "maximum":
        if (typeof value === "number" && value > Number(argument)) fail(`> ${argument}`);
        break;
      case "exclusiveMinimum":
        if (typeof value === "number" && value <= Number(argument)) fail(`<= ${argument}`);
        break;
      case "minLength":
        if (typeof value === "string" && value.length < Number(argument)) fail("too short");
        break;
      case "pattern":
        if (typeof value === "string" && !new RegExp(String(argument), "u").test(value)) {
          fail(`does not match ${String(argument)}`);
        }
        break;
      case "minItems":
        if (Array.isArray(value) && value.length < Number(argument)) fail("too few items");
        break;
      case "maxItems":
        if (Array.isArray(value) && value.length > Number(argument)) fail("too many items");
        break;
      case "prefixItems":
        if (Array.isArray(value)) {
          (argument as JsonSchema[]).forEach((item, index) => {
            if (index < value.length)
              errors.push(...validate(item, value[index], `${path}[${index}]`));
          });
        }
        break;
      case "items":
        if (Array.isArray(value)) {
          const start = Array.isArray(schema.prefixItems) ? schema.prefixItems.length : 0;
          value.slice(start).forEach((item, index) => {
            errors.push(...validate(argument as JsonSchema, item, `${path}[${start + index}]`));
          });
        }
        break;
      case "required":
        if (isObject(value)) {
          for (const key of argument as string[]) if (!(key in value)) fail(`missing ${key}`);
        }
        break;
      case "properties":
      case "additionalProperties":
      case "propertyNames":
        if (isObject(value)) {
          const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
          for (const [key, item] of Object.entries(value)) {
            if (keyword === "propertyNames") {
              errors.push(...validate(argument as JsonSchema, key, `${path}.${key} (name)`));
            } else if (keyword === "properties" && key in properties) {
              errors.push(...validate(properties[key]!, item, `${path}.${key}`));
            } else if (keyword === "additionalProperties" && !(key in properties)) {
              errors.push(...validate(argument as JsonSchema, item, `${path}.${key}`));
            }
          }
        }
        break;
      case "anyOf":
      case "oneOf": {
        const passing = (argument as JsonSchema[]).filter(
          (option) => validate(option, value, path).length === 0,
        );
        if (passing.length === 0 || (keyword === "oneOf" && passing.length > 1)) {
          fail(`${keyword} matched ${passing.length} options`);
        }
        break;
      }
      default:
        throw new Error(`the test validator does not know the keyword ${keyword}`);
    }
  }
  return errors;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function keywordsIn(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) keywordsIn(item, found);
  else if (isObject(schema)) {
    for (const [keyword, argument] of Object.entries(schema)) {
      found.add(keyword);
      if (keyword === "properties" && isObject(argument)) {
        for (const property of Object.values(argument)) keywordsIn(property, found);
      } else if (keyword !== "enum" && keyword !== "const" && keyword !== "default") {
        keywordsIn(argument, found);
      }
    }
  }
  return found;
}

const GOOD_CONFIG = `
models:
  claude: { provider: anthropic, model: claude-sonnet-4-5 }
  grok:   { provider: xai, model: "\${GROK_MODEL:-grok-4}" }
  copilot: { provider: openai-compatible, baseURL: "https://models.github.ai/inference", model: openai/gpt-4.1, apiKeyEnv: GITHUB_TOKEN }
  local:  { provider: openai-compatible, baseURL: "\${LOCAL_URL}", model: llama3.2 }
  sim:    { provider: simulated, latencyMs: [50, 400], failures: { rate_limit: 0.05, server: 0.02 }, seed: 7 }
fallbacks:
  smart: [grok, claude]
budget: { daily_usd: 5, monthly_usd: 50, per_model: { claude: { daily_usd: 2 } } }
gateway: { retries: 2, backoff: { baseMs: 500 } }
store: \${DATABASE_URL}
log: { level: debug }
schedules:
  nightly: { cron: "0 2 * * *", timezone: Europe/Paris, workflow: review.yaml, inputs: { manuscript: m.md }, catchUp: last }
  heartbeat: { cron: "* * * * * *", task: { title: ping, priority: 0, capabilities: [], payload: { n: 1 } } }
`;

describe("configJsonSchema", () => {
  const schema = configJsonSchema();

  it("is plain JSON with a draft 2020-12 header and every section", () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.title).toContain("orkestra.yaml");
    expect(Object.keys(schema.properties as object)).toEqual(
      expect.arrayContaining([
        "models",
        "fallbacks",
        "budget",
        "gateway",
        "log",
        "store",
        "workspace",
        "schedules",
      ]),
    );
  });

  it("uses only draft 2020-12 keywords", () => {
    const unknown = [...keywordsIn(schema)].filter(
      (keyword) => !DRAFT_2020_12_KEYWORDS.has(keyword),
    );
    expect(unknown).toEqual([]);
  });

  it("describes the file as written: keys with defaults are optional", () => {
    expect(validate(schema, {})).toEqual([]);
    expect(validate(schema, { models: { sim: { provider: "simulated" } } })).toEqual([]);
  });

  it("accepts a realistic file, ${VAR} references included", () => {
    expect(validate(schema, parse(GOOD_CONFIG))).toEqual([]);
  });

  it("rejects what loadConfig rejects", () => {
    expect(validate(schema, { modles: {} })).not.toEqual([]);
    expect(validate(schema, { models: { c: { provider: "antropic", model: "m" } } })).not.toEqual(
      [],
    );
    expect(validate(schema, { models: { c: { provider: "anthropic" } } })).not.toEqual([]);
    expect(validate(schema, { gateway: { retries: "3" } })).not.toEqual([]);
    expect(validate(schema, { budget: { daily_usd: -1 } })).not.toEqual([]);
    expect(
      validate(schema, { models: { s: { provider: "simulated", latencyMs: [1, 2, 3] } } }),
    ).not.toEqual([]);
    expect(validate(schema, { store: "mysql://db" })).not.toEqual([]);
    expect(validate(schema, { schedules: { s: { task: { title: "t" } } } })).not.toEqual([]);
    expect(
      validate(schema, { schedules: { s: { cron: "* * * * *", catchUp: "sometimes" } } }),
    ).not.toEqual([]);
    expect(validate(schema, { schedules: { s: { cron: "* * * * *", task: {} } } })).not.toEqual([]);
  });
});
