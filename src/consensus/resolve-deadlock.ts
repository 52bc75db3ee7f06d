import { z } from "zod";
import { type Gateway, ModelError, type ModelRequest } from "../models/index.js";
import type { Tally } from "./ballot.js";
import {
  compromiseBallotPrompt,
  compromisePrompt,
  MEMBER_SYSTEM,
  type SharedRationale,
  tieBreakPrompt,
} from "./ballot-prompt.js";
import { ballotSchema } from "./ballot-schema.js";
import { abstentionReason, collectRound, prepareCall, type Seat } from "./collect-round.js";
import { countRound } from "./count-round.js";
import { derivedSeed, seededShuffle } from "./seeded-shuffle.js";
import type { CheckedVoteRequest } from "./validate-vote-request.js";
import type { RecordedBallot, VoteResult, VoteRound } from "./vote-result.js";
import type { VoteSpend } from "./vote-spend.js";

export const ACCEPT = "accept";
export const REJECT = "reject";

const CHAIR_SYSTEM =
  "You chair a committee that decides by vote. Be fair to every position and reply with only the JSON your schema asks for.";

const compromiseSchema = z.strictObject({
  compromise: z.string().trim().min(1),
  rationale: z.string().min(1),
});

/** How a deadlock ended: a winner, or none, with the reason in words. */
export interface DeadlockOutcome {
  winner: string | null;
  explanation: string;
  compromise?: NonNullable<VoteResult["compromise"]>;
  budgetStop?: string;
}

export interface DeadlockContext {
  gateway: Gateway;
  checked: CheckedVoteRequest;
  seats: readonly Seat[];
  options: readonly string[];
  last: VoteRound;
  lastBallots: readonly RecordedBallot[];
  shared: readonly SharedRationale[];
  base: Omit<ModelRequest, "model" | "prompt" | "schema" | "system">;
  spend: VoteSpend;
  tally: Tally;
  /** Records the compromise round's ballots and count. */
  onRound: (round: VoteRound, ballots: readonly RecordedBallot[]) => void;
}

/**
 * After the last deliberation round the vote is still deadlocked. In this order:
 * 1. a tie with `tieBreak: first-ranked`: the tied option listed first in `options` wins;
 * 2. a tie with `tieBreak: chair`: the chair picks one of the tied options;
 * 3. with a chair: it proposes a compromise, put to a final vote — adopted when more than half
 *    of the valid ballots accept it (`majority`, same quorum);
 * 4. else no consensus.
 */
export async function resolveDeadlock(context: DeadlockContext): Promise<DeadlockOutcome> {
  const { checked, last, gateway } = context;
  const tied =
    last.status === "tie" ? context.options.filter((option) => last.tied?.includes(option)) : [];
  if (tied.length > 1 && checked.tieBreak === "first-ranked") {
    return {
      winner: tied[0] ?? null,
      explanation: `${last.explanation}; tie broken by the rule first-ranked: "${tied[0]}" is listed first of the tied options (${tied.join(", ")})`,
    };
  }
  const chair = checked.chair;
  if (tied.length > 1 && checked.tieBreak === "chair" && chair !== undefined) {
    const request = {
      ...context.base,
      model: chair,
      system: CHAIR_SYSTEM,
      prompt: tieBreakPrompt(checked.question, tied),
      schema: ballotSchema("choice", tied),
    };
    const fits = await context.spend.check([request]);
    if (!fits.fits)
      return {
        winner: null,
        explanation: `${last.explanation}; ${fits.reason}`,
        budgetStop: fits.reason,
      };
    try {
      const result = await gateway.generate(request);
      context.spend.addAnswer(result.costUsd);
      const choice = result.object?.choice ?? null;
      return {
        winner: choice,
        explanation: `${last.explanation}; tie broken by the rule chair: the chair (${result.model}) chose "${choice}": ${result.object?.rationale ?? ""}`,
      };
    } catch (error) {
      if (!ModelError.isInstance(error) || context.base.signal?.aborted) throw error;
      return {
        winner: null,
        explanation: `${last.explanation}; the chair could not break the tie: ${abstentionReason(error)}`,
      };
    }
  }
  if (chair === undefined) {
    return {
      winner: null,
      explanation: `${last.explanation}; no consensus after ${last.round} round(s) and no chair to propose a compromise`,
    };
  }
  return proposeCompromise(context, chair);
}

async function proposeCompromise(
  context: DeadlockContext,
  chair: string,
): Promise<DeadlockOutcome> {
  const { checked, last, gateway } = context;
  const chairRequest = {
    ...context.base,
    model: chair,
    system: CHAIR_SYSTEM,
    prompt: compromisePrompt({
      question: checked.question,
      options: context.options,
      tallies: last.tallies,
      rationales: context.shared,
    }),
    schema: compromiseSchema,
  };
  const fits = await context.spend.check([chairRequest]);
  if (!fits.fits)
    return {
      winner: null,
      explanation: `${last.explanation}; ${fits.reason}`,
      budgetStop: fits.reason,
    };
  let proposal: z.output<typeof compromiseSchema>;
  try {
    const result = await gateway.generate(chairRequest);
    context.spend.addAnswer(result.costUsd);
    proposal = result.object as z.output<typeof compromiseSchema>;
  } catch (error) {
    if (!ModelError.isInstance(error) || context.base.signal?.aborted) throw error;
    return {
      winner: null,
      explanation: `${last.explanation}; the chair proposed no compromise: ${abstentionReason(error)}`,
    };
  }
  const round = last.round + 1;
  const choices = [ACCEPT, REJECT];
  const calls = context.seats.map((seat) => {
    const shownOrder = seededShuffle(
      choices,
      derivedSeed(checked.seed, "compromise", seat.index, round),
    );
    return prepareCall(
      seat,
      shownOrder,
      { ...context.base, system: MEMBER_SYSTEM },
      compromiseBallotPrompt({
        question: checked.question,
        member: seat.label,
        compromise: proposal.compromise,
        rationale: proposal.rationale,
        shownOrder,
      }),
      ballotSchema("choice", choices),
    );
  });
  const callFits = await context.spend.check(calls.map((call) => call.request));
  if (!callFits.fits) {
    return {
      winner: null,
      explanation: `${last.explanation}; the chair's compromise was not put to the vote: ${callFits.reason}`,
      compromise: { text: proposal.compromise, rationale: proposal.rationale, adopted: false },
      budgetStop: callFits.reason,
    };
  }
  const ballots = await collectRound(gateway, calls, round, (cost) =>
    context.spend.addAnswer(cost),
  );
  const counted = countRound({
    tally: context.tally,
    method: "majority",
    shape: "choice",
    stage: "compromise",
    round,
    ballots,
    seats: context.seats,
    options: choices,
    tallyOptions: { quorum: checked.quorum },
  });
  context.onRound(counted, ballots);
  const adopted = counted.status === "decided" && counted.winner === ACCEPT;
  return {
    winner: adopted ? proposal.compromise : null,
    explanation: adopted
      ? `no decision after ${last.round} round(s); the chair's compromise was accepted by more than half of the valid ballots (${counted.tallies[ACCEPT] ?? 0} of ${counted.validBallots})`
      : `no decision after ${last.round} round(s); the chair's compromise was not accepted (${counted.explanation})`,
    compromise: { text: proposal.compromise, rationale: proposal.rationale, adopted },
  };
}
