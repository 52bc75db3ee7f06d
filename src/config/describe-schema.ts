import { z } from "zod";
import { unwrapSchema } from "./schema-at-path.js";

export const EXAMPLE_URL = "https://api.example.com/v1";

/** What a value must look like, in words: `a whole number`, `a list of exactly 2 items`. */
export function describeSchema(schema: z.core.$ZodType | undefined): string | undefined {
  if (schema === undefined) return undefined;
  const unwrapped = unwrapSchema(schema);
  if (unwrapped instanceof z.ZodURL) return `a URL such as ${EXAMPLE_URL}`;
  if (unwrapped instanceof z.ZodStringFormat) return `a valid ${unwrapped.format}`;
  if (unwrapped instanceof z.ZodString) return "a string";
  if (unwrapped instanceof z.ZodNumber) return unwrapped.isInt ? "a whole number" : "a number";
  if (unwrapped instanceof z.ZodBoolean) return "true or false";
  if (unwrapped instanceof z.ZodTuple) return exactListLength(unwrapped._zod.def.items.length);
  if (unwrapped instanceof z.ZodArray) return "a list";
  if (
    unwrapped instanceof z.ZodObject ||
    unwrapped instanceof z.ZodRecord ||
    unwrapped instanceof z.ZodDiscriminatedUnion
  ) {
    return "a mapping";
  }
  if (unwrapped instanceof z.ZodEnum) return oneOf(unwrapped.options.map(String));
  if (unwrapped instanceof z.ZodLiteral) {
    return [...unwrapped.values].map((value) => JSON.stringify(value)).join(" or ");
  }
  if (unwrapped instanceof z.ZodUnion) {
    const parts = unwrapped.options.map((option) => describeSchema(option) ?? "something else");
    return [...new Set(parts)].join(" or ");
  }
  return undefined;
}

export function oneOf(options: readonly string[]): string {
  return `one of ${options.join(", ")}`;
}

export function exactListLength(length: number): string {
  return `a list of exactly ${length} ${length === 1 ? "item" : "items"}`;
}
