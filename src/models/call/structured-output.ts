import type { JSONSchema7 } from "@ai-sdk/provider";
import { type ZodType, z } from "zod";

export type StructuredParse<Output> = { ok: true; value: Output } | { ok: false; problem: string };

/** The JSON Schema sent to the provider for a zod schema. */
export function responseJsonSchema(schema: ZodType): JSONSchema7 {
  return z.toJSONSchema(schema, { target: "draft-7", unrepresentable: "any" }) as JSONSchema7;
}

/** Models often wrap JSON in a Markdown fence even when asked not to. */
function stripFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(text);
  return fenced?.[1] ?? text;
}

/** Parses and validates a structured answer; on failure says what was wrong, for the repair turn. */
export function parseStructured<Output>(
  text: string,
  schema: ZodType<Output>,
): StructuredParse<Output> {
  let json: unknown;
  try {
    json = JSON.parse(stripFence(text));
  } catch (error) {
    return { ok: false, problem: `the answer is not valid JSON (${(error as Error).message})` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`);
  return { ok: false, problem: `the JSON does not match the schema: ${issues.join("; ")}` };
}

/** The user turn that asks the model to fix its previous answer. */
export function repairMessage(problem: string): string {
  return `Your previous answer was rejected: ${problem}. Reply again with only the corrected JSON, no other text.`;
}
