import type { ZodType } from "zod";
import { type Gateway, ModelError, type ModelRequest } from "../models/index.js";
import type { MemberAnswer } from "./ballot-schema.js";
import type { RecordedBallot } from "./vote-result.js";

/** One committee seat: the label others see, the model behind it, its weight. */
export interface Seat {
  index: number;
  label: string;
  alias: string;
  weight: number;
}

/** One member's call of a round, prepared before anything is sent (the budget check reads it). */
export interface PreparedCall {
  seat: Seat;
  shownOrder: readonly string[];
  request: ModelRequest<MemberAnswer>;
}

/** The reason an unanswered call is an abstention, by the kind of its error. */
export function abstentionReason(error: ModelError): string {
  if (error.kind === "budget_exceeded") return `refused by a budget: ${error.message}`;
  if (error.kind === "parse") return `invalid ballot after its repair turn: ${error.message}`;
  return `no answer (${error.kind}): ${error.message}`;
}

export function prepareCall(
  seat: Seat,
  shownOrder: readonly string[],
  base: Omit<ModelRequest<MemberAnswer>, "model" | "prompt" | "schema">,
  prompt: string,
  schema: ZodType<MemberAnswer>,
): PreparedCall {
  return { seat, shownOrder, request: { ...base, model: seat.alias, prompt, schema } };
}

/**
 * Sends every member's call of one round at once. A model failure is that member's
 * abstention with the reason; any other failure (the store down, a cancel) is the vote's.
 * Ballots come back in seat order, whatever order the answers arrive in.
 */
export async function collectRound(
  gateway: Gateway,
  calls: readonly PreparedCall[],
  round: number,
  onCost: (costUsd: number) => void,
): Promise<RecordedBallot[]> {
  return Promise.all(
    calls.map(async (call): Promise<RecordedBallot> => {
      const base = { member: call.seat.label, round, shownOrder: call.shownOrder };
      try {
        const result = await gateway.generate(call.request);
        onCost(result.costUsd);
        const answer = result.object as MemberAnswer;
        return {
          ...base,
          model: result.model,
          ...(answer.choice === undefined ? {} : { choice: answer.choice }),
          ...(answer.ranking === undefined ? {} : { ranking: answer.ranking }),
          ...(answer.approvals === undefined ? {} : { approvals: answer.approvals }),
          ...(answer.answer === undefined ? {} : { answer: answer.answer }),
          confidence: answer.confidence,
          rationale: answer.rationale,
          valid: true,
        };
      } catch (error) {
        if (!ModelError.isInstance(error) || call.request.signal?.aborted) throw error;
        return {
          ...base,
          model: call.seat.alias,
          confidence: null,
          rationale: null,
          valid: false,
          reason: abstentionReason(error),
        };
      }
    }),
  );
}
