import { randomInt, randomUUID } from "node:crypto";
import type { Gateway, ModelRequest } from "../models/index.js";
import type { Store } from "../store/index.js";
import {
  ballotPrompt,
  describeVote,
  MEMBER_SYSTEM,
  type SharedRationale,
} from "./ballot-prompt.js";
import { ballotSchema, type MemberAnswer } from "./ballot-schema.js";
import { ballotShapeOf } from "./ballot-shape.js";
import { collectRound, type PreparedCall, prepareCall, type Seat } from "./collect-round.js";
import { countRound } from "./count-round.js";
import { groupFreeAnswers } from "./group-free-answers.js";
import { resolveDeadlock } from "./resolve-deadlock.js";
import { derivedSeed, seededShuffle } from "./seeded-shuffle.js";
import { saveVote } from "./store/vote-records.js";
import { tally as defaultTally } from "./tally/index.js";
import { checkVoteRequest } from "./validate-vote-request.js";
import type { VoteDependencies, VoteRequest } from "./vote-request.js";
import type {
  AnswerGrouping,
  RecordedBallot,
  VoteResult,
  VoteRound,
  VoteStatus,
} from "./vote-result.js";
import { VoteSpend } from "./vote-spend.js";

function isDeadlock(round: VoteRound): boolean {
  return round.status === "tie" || round.status === "no_majority";
}

function shared(ballot: RecordedBallot): SharedRationale {
  return {
    member: ballot.member,
    vote: describeVote(ballot),
    confidence: ballot.confidence,
    rationale: ballot.rationale ?? "",
  };
}

/**
 * Holds a vote: asks every member at once, counts exactly, deliberates on a deadlock, lets a
 * chair propose a compromise, and records every ballot. `store` may be undefined (no record,
 * no ledger). Bad requests throw a UsageError before any model is asked.
 */
export async function vote(
  gateway: Gateway,
  store: Store | undefined,
  request: VoteRequest,
  dependencies: VoteDependencies = {},
): Promise<VoteResult> {
  const tally = dependencies.tally ?? defaultTally;
  const now = dependencies.now ?? Date.now;
  const startedAt = now();
  const checked = checkVoteRequest(gateway, request, () => randomInt(0, 2 ** 31 - 1));
  const voteId = (dependencies.newId ?? randomUUID)();
  const seats: Seat[] = checked.members.map((alias, index) => ({
    index,
    label: `Member ${index + 1}`,
    alias,
    weight: checked.weights[index] ?? 1,
  }));
  const spend = new VoteSpend(gateway, store, `vote:${voteId}`, checked.budgetUsd);
  const base: Omit<ModelRequest<MemberAnswer>, "model" | "prompt" | "schema"> = {
    taskId: `vote:${voteId}`,
    ...(request.runId === undefined ? {} : { runId: request.runId }),
    ...(request.stepId === undefined ? {} : { stepId: request.stepId }),
    ...(request.signal === undefined ? {} : { signal: request.signal }),
    ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
  };
  const shape = ballotShapeOf(checked.method);
  const tallyOptions = { quorum: checked.quorum, threshold: checked.threshold };
  const rounds: VoteRound[] = [];
  const ballots: RecordedBallot[] = [];
  let options = checked.options;
  let grouping: AnswerGrouping | undefined;
  const onCost = (costUsd: number): void => spend.addAnswer(costUsd);

  const finish = async (
    status: VoteStatus,
    winner: string | null,
    explanation: string,
    extra: Pick<VoteResult, "compromise" | "budgetStop"> = {},
  ): Promise<VoteResult> => {
    const result: VoteResult = {
      success: status === "decided",
      voteId,
      status,
      winner,
      method: checked.method,
      question: checked.question,
      options,
      members: seats.map((seat) => ({
        member: seat.label,
        alias: seat.alias,
        weight: seat.weight,
      })),
      rounds,
      ballots,
      abstentions: ballots
        .filter((ballot) => !ballot.valid)
        .map((ballot) => ({
          member: ballot.member,
          model: ballot.model,
          round: ballot.round,
          reason: ballot.reason ?? "abstained",
        })),
      explanation,
      quorum: checked.quorum,
      threshold: checked.threshold,
      seed: checked.seed,
      ...(extra.compromise === undefined ? {} : { compromise: extra.compromise }),
      ...(grouping === undefined ? {} : { grouping }),
      ...(extra.budgetStop === undefined ? {} : { budgetStop: extra.budgetStop }),
      ...(await spend.ledger()),
      durationMs: now() - startedAt,
    };
    if (store) {
      await saveVote(store, result, startedAt, base);
      await store.audit.append({
        actor: dependencies.actor ?? "committee",
        action: status === "decided" ? "vote:decided" : "vote:no_consensus",
        resource: `vote:${voteId}`,
        outcome: status,
        data: {
          question: checked.question,
          method: checked.method,
          winner,
          members: checked.members,
          rounds: rounds.length,
          costUsd: result.costUsd,
          explanation,
          ...(request.runId === undefined ? {} : { runId: request.runId }),
          ...(request.stepId === undefined ? {} : { stepId: request.stepId }),
        },
      });
    }
    return result;
  };

  /** Asks every member for one round's ballot, after checking the vote's cap. */
  const runRound = async (
    round: number,
    prepare: (seat: Seat) => PreparedCall,
  ): Promise<RecordedBallot[] | { budgetStop: string }> => {
    const calls = seats.map(prepare);
    const fits = await spend.check(calls.map((call) => call.request));
    if (!fits.fits) return { budgetStop: fits.reason };
    return collectRound(gateway, calls, round, onCost);
  };
  const shownOrder = (seat: Seat, round: number): string[] =>
    seededShuffle(options, derivedSeed(checked.seed, "options", seat.index, round));
  const memberBase = { ...base, system: MEMBER_SYSTEM };

  const first = await runRound(1, (seat) => {
    const order = checked.free ? [] : shownOrder(seat, 1);
    const ballotKind = checked.free ? "free" : shape;
    return prepareCall(
      seat,
      order,
      memberBase,
      ballotPrompt({
        question: checked.question,
        shape: ballotKind,
        shownOrder: order,
        member: seat.label,
      }),
      ballotSchema(ballotKind, options),
    );
  });
  if ("budgetStop" in first) {
    return finish("no_consensus", null, `no round was held: ${first.budgetStop}`, {
      budgetStop: first.budgetStop,
    });
  }
  let last = first;
  if (checked.free) {
    grouping = await groupFreeAnswers(
      gateway,
      checked.chair ?? checked.members[0],
      checked.question,
      last.flatMap((ballot) =>
        ballot.valid && ballot.answer !== undefined
          ? [{ member: ballot.member, answer: ballot.answer }]
          : [],
      ),
      base,
      (judgeRequest) => spend.check([judgeRequest]),
    );
    const groups = grouping.groups;
    options = groups.map((group) => group.label);
    last = last.map((ballot) => {
      const group = groups.find((candidate) => candidate.members.includes(ballot.member));
      return group && ballot.valid ? { ...ballot, choice: group.label } : ballot;
    });
  }
  ballots.push(...last);
  const count = (
    stage: "vote" | "deliberation",
    round: number,
    roundBallots: readonly RecordedBallot[],
  ) =>
    countRound({
      tally,
      method: checked.method,
      shape,
      stage,
      round,
      ballots: roundBallots,
      seats,
      options,
      tallyOptions,
    });
  let current = count("vote", 1, last);
  rounds.push(current);

  let budgetStop: string | undefined;
  for (
    let deliberation = 1;
    deliberation <= checked.rounds && isDeadlock(current);
    deliberation += 1
  ) {
    const round = deliberation + 1;
    const previous = last;
    const next = await runRound(round, (seat) => {
      const order = shownOrder(seat, round);
      const own = previous[seat.index];
      const others = seededShuffle(
        previous.filter((ballot, index) => index !== seat.index && ballot.valid),
        derivedSeed(checked.seed, "rationales", seat.index, round),
      ).map(shared);
      return prepareCall(
        seat,
        order,
        memberBase,
        ballotPrompt({
          question: checked.question,
          shape,
          shownOrder: order,
          member: seat.label,
          deliberation: {
            round: deliberation,
            others,
            ...(own?.valid ? { own: shared(own) } : {}),
          },
        }),
        ballotSchema(shape, options),
      );
    });
    if ("budgetStop" in next) {
      budgetStop = next.budgetStop;
      break;
    }
    last = next;
    ballots.push(...last);
    current = count("deliberation", round, last);
    rounds.push(current);
  }

  if (current.status === "decided") {
    return finish("decided", current.winner ?? null, current.explanation);
  }
  if (current.status === "no_quorum") {
    return finish(
      "no_quorum",
      null,
      current.explanation,
      budgetStop === undefined ? {} : { budgetStop },
    );
  }
  if (budgetStop !== undefined) {
    return finish("no_consensus", null, `${current.explanation}; ${budgetStop}`, { budgetStop });
  }
  const outcome = await resolveDeadlock({
    gateway,
    checked,
    seats,
    options,
    last: current,
    lastBallots: last,
    shared: last.filter((ballot) => ballot.valid).map(shared),
    base,
    spend,
    tally,
    onRound: (round, roundBallots) => {
      rounds.push(round);
      ballots.push(...roundBallots);
    },
  });
  return finish(
    outcome.winner === null ? "no_consensus" : "decided",
    outcome.winner,
    outcome.explanation,
    {
      ...(outcome.compromise === undefined ? {} : { compromise: outcome.compromise }),
      ...(outcome.budgetStop === undefined ? {} : { budgetStop: outcome.budgetStop }),
    },
  );
}
