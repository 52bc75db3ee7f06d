import { type ZodType, z } from "zod";
import type { BallotShape } from "./ballot.js";

/** What a member answers: its ballot, how sure it is, and why (shown to the others, anonymised). */
export interface MemberAnswer {
  choice?: string;
  ranking?: string[];
  approvals?: string[];
  /** `--free`: the member's own answer, grouped with equivalent ones afterwards. */
  answer?: string;
  confidence: number;
  rationale: string;
}

const noRepeats = (list: readonly string[]): boolean => new Set(list).size === list.length;

/**
 * The structured-output schema of a ballot. Options are an enum inside the schema itself, so a
 * ballot that names an option that does not exist fails validation in the gateway, which
 * gives it its one repair turn with the validation message; a second invalid answer fails the
 * call (kind `parse`) and the committee records an abstention. Nothing is coerced.
 */
export function ballotSchema(
  shape: BallotShape | "free",
  options: readonly string[],
): ZodType<MemberAnswer> {
  const common = {
    confidence: z.number().min(0).max(1).describe("how sure you are, 0 to 1"),
    rationale: z.string().min(1).describe("why, in one or two sentences"),
  };
  if (shape === "free") {
    return z.strictObject({ answer: z.string().trim().min(1), ...common });
  }
  const option = z.enum(options as [string, ...string[]]);
  if (shape === "choice") return z.strictObject({ choice: option, ...common });
  if (shape === "ranking") {
    return z.strictObject({
      ranking: z
        .array(option)
        .min(1)
        .refine(noRepeats, "an option appears twice in the ranking")
        .describe("options, most preferred first; you may leave out options you reject"),
      ...common,
    });
  }
  return z.strictObject({
    approvals: z
      .array(option)
      .refine(noRepeats, "an option is approved twice")
      .describe("every option you find acceptable"),
    ...common,
  });
}
