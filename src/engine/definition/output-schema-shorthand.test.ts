import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { IssueDraft } from "../../config/index.js";
import { outputSchemaFromShorthand } from "./output-schema-shorthand.js";

function compile(shorthand: Record<string, unknown>) {
  const problems: IssueDraft[] = [];
  const { schema } = outputSchemaFromShorthand(shorthand, ["steps", "s", "schema"], problems);
  return { schema, problems };
}

describe("the output schema shorthand", () => {
  it("bounds a number written number(0..1), in validation and in the JSON Schema", () => {
    const { schema, problems } = compile({ score: "number(0..1)" });
    expect(problems).toEqual([]);
    expect(schema.safeParse({ score: 0.5 }).success).toBe(true);
    expect(schema.safeParse({ score: 1.5 }).success).toBe(false);
    expect(schema.safeParse({ score: -0.1 }).success).toBe(false);
    const json = z.toJSONSchema(schema) as { properties: Record<string, unknown> };
    expect(json.properties.score).toMatchObject({ type: "number", minimum: 0, maximum: 1 });
  });

  it("takes one open end, negative and decimal bounds, integers and lists", () => {
    const { schema, problems } = compile({
      rank: "integer(1..)",
      delta: "number(-2.5..2.5)",
      marks: "integer(0..10)[]",
    });
    expect(problems).toEqual([]);
    expect(schema.safeParse({ rank: 3, delta: -2.5, marks: [0, 10] }).success).toBe(true);
    expect(schema.safeParse({ rank: 0, delta: 0, marks: [] }).success).toBe(false);
    expect(schema.safeParse({ rank: 1, delta: 3, marks: [] }).success).toBe(false);
    expect(schema.safeParse({ rank: 1, delta: 0, marks: [11] }).success).toBe(false);
  });

  it("reports a range on a type that has none, or a range whose low end is above its high end", () => {
    const { problems } = compile({ name: "string(0..1)", score: "number(1..0)" });
    expect(problems.map((problem) => [problem.path.join("."), problem.found])).toEqual([
      ["steps.s.schema.name", '"string(0..1)"'],
      ["steps.s.schema.score", '"number(1..0)"'],
    ]);
    expect(problems[0]?.expected).toContain("number(0..1)");
    expect(problems[1]?.expected).toContain("low end first");
  });
});
