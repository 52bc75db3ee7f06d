import { z } from "zod";
import { type Gateway, ModelError, type ModelRequest } from "../models/index.js";
import { judgePrompt } from "./ballot-prompt.js";
import { abstentionReason } from "./collect-round.js";
import type { AnswerGroup, AnswerGrouping } from "./vote-result.js";

/** Case, accents' composition, punctuation and spacing never make two answers different. */
export function normaliseAnswer(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export interface FreeAnswer {
  member: string;
  answer: string;
}

export interface Grouping extends AnswerGrouping {
  groups: AnswerGroup[];
}

function judgeSchema(count: number) {
  return z.strictObject({
    groups: z
      .array(
        z
          .array(
            z
              .number()
              .int()
              .min(0)
              .max(count - 1),
          )
          .min(1),
      )
      .refine(
        (groups) => {
          const seen = groups.flat();
          return seen.length === count && new Set(seen).size === count;
        },
        `every answer number from 0 to ${count - 1} must appear in exactly one group`,
      ),
  });
}

/**
 * Groups equivalent free answers: normalised text first; then, when more than one group is
 * left, a judge model merges the rest in ONE call (structured output: groups of answer
 * numbers). Groups are ordered by their first member; a group's label is its first answer.
 */
export async function groupFreeAnswers(
  gateway: Gateway,
  judge: string | undefined,
  question: string,
  answers: readonly FreeAnswer[],
  base: Omit<ModelRequest, "model" | "prompt" | "schema">,
  /** The vote's cap: may the judge's call be made? */
  admit: (request: ModelRequest) => Promise<{ fits: true } | { fits: false; reason: string }>,
): Promise<Grouping> {
  const buckets: { key: string; members: string[]; answers: string[] }[] = [];
  for (const entry of answers) {
    const key = normaliseAnswer(entry.answer);
    let bucket = buckets.find((candidate) => candidate.key === key);
    if (!bucket) {
      bucket = { key, members: [], answers: [] };
      buckets.push(bucket);
    }
    bucket.members.push(entry.member);
    bucket.answers.push(entry.answer.trim());
  }
  const asGroups = (sets: readonly (readonly number[])[]): AnswerGroup[] =>
    sets
      .map((indices) => [...indices].sort((left, right) => left - right))
      .sort((left, right) => (left[0] ?? 0) - (right[0] ?? 0))
      .map((indices) => {
        const parts = indices.map((index) => buckets[index]).filter((bucket) => !!bucket);
        return {
          label: parts[0]?.answers[0] ?? "",
          members: parts.flatMap((part) => part.members),
          answers: parts.flatMap((part) => part.answers),
        };
      });
  const single = buckets.map((_, index) => [index]);
  if (judge === undefined) return { groups: asGroups(single), judge: null };
  if (buckets.length < 2)
    return { groups: asGroups(single), judge: { model: judge, outcome: "not_needed" } };
  const request = {
    ...base,
    model: judge,
    prompt: judgePrompt(
      question,
      buckets.map((bucket) => bucket.answers[0] ?? ""),
    ),
    schema: judgeSchema(buckets.length),
  };
  const fits = await admit(request);
  if (!fits.fits) {
    return {
      groups: asGroups(single),
      judge: { model: judge, outcome: "failed", reason: fits.reason },
    };
  }
  try {
    const result = await gateway.generate(request);
    return {
      groups: asGroups(result.object?.groups ?? single),
      judge: { model: result.model, outcome: "grouped" },
    };
  } catch (error) {
    if (!ModelError.isInstance(error) || base.signal?.aborted) throw error;
    return {
      groups: asGroups(single),
      judge: { model: judge, outcome: "failed", reason: abstentionReason(error) },
    };
  }
}
