import type { Gateway } from "../models/index.js";
import type { VotingMethod } from "./ballot.js";
import { ballotShapeOf } from "./ballot-shape.js";
import { VOTING_METHODS } from "./tally/index.js";
import type { TieBreak, VoteRequest } from "./vote-request.js";
import { voteUsageError } from "./vote-usage-error.js";

/** A request with every default filled in and every rule checked. */
export interface CheckedVoteRequest {
  question: string;
  options: readonly string[];
  members: readonly string[];
  method: VotingMethod;
  weights: readonly number[];
  quorum: number;
  threshold: number;
  rounds: number;
  chair: string | undefined;
  tieBreak: TieBreak;
  seed: number;
  budgetUsd: number | undefined;
  free: boolean;
}

const TIE_BREAKS: readonly TieBreak[] = ["chair", "first-ranked", "none"];
export const DEFAULT_THRESHOLD = 2 / 3;
export const DEFAULT_ROUNDS = 1;

function checkModel(gateway: Gateway, field: "members" | "chair", name: string): void {
  try {
    gateway.resolveChain(name);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw voteUsageError(field, message, `Known models: ${gateway.models.join(", ")}.`);
  }
}

/**
 * Checks a request before any model is asked: at least two distinct options (unless `free`),
 * known models, weights only for members, threshold in (0.5, 1], a quorum the committee can
 * reach, a method whose ballots a free answer can fill.
 */
export function checkVoteRequest(
  gateway: Gateway,
  request: VoteRequest,
  randomSeed: () => number,
): CheckedVoteRequest {
  const question = request.question.trim();
  if (question === "") {
    throw voteUsageError("question", "is empty", 'Ask something: orkestra vote "Which …?"');
  }
  const method = request.method ?? "plurality";
  if (!VOTING_METHODS.includes(method)) {
    throw voteUsageError(
      "method",
      `unknown method "${method}"`,
      `Use one of ${VOTING_METHODS.join(", ")}.`,
    );
  }
  const free = request.free ?? false;
  const options = (request.options ?? []).map((option) => option.trim());
  if (free) {
    if (options.length > 0) {
      throw voteUsageError("free", "an open question has no options", "Drop --options or --free.");
    }
    if (ballotShapeOf(method) !== "choice") {
      throw voteUsageError(
        "free",
        `${method} needs rankings or approvals over known options, which free answers do not give`,
        "Use a choice method with --free: plurality, majority, supermajority, unanimous or weighted.",
      );
    }
  } else {
    if (options.length < 2) {
      throw voteUsageError(
        "options",
        `a vote needs at least two options, got ${options.length}`,
        'List them: --options "A,B,C" (or --options-file), or ask an open question with --free.',
      );
    }
    const empty = options.indexOf("");
    if (empty >= 0) throw voteUsageError("options", `option ${empty + 1} is empty`, "Remove it.");
    const seen = new Set<string>();
    for (const option of options) {
      if (seen.has(option)) {
        throw voteUsageError("options", `"${option}" is listed twice`, "List each option once.");
      }
      seen.add(option);
    }
  }
  if (request.members.length === 0) {
    throw voteUsageError("members", "a committee needs members", "Name them: --models a,b,c");
  }
  for (const member of request.members) checkModel(gateway, "members", member);
  if (request.chair !== undefined) checkModel(gateway, "chair", request.chair);
  const weights = request.weights ?? {};
  for (const [alias, weight] of Object.entries(weights)) {
    if (!request.members.includes(alias)) {
      throw voteUsageError(
        "weights",
        `"${alias}" is not a member of the committee`,
        `Give weights only to members: ${request.members.join(", ")}.`,
      );
    }
    if (!(Number.isFinite(weight) && weight > 0)) {
      throw voteUsageError(
        "weights",
        `the weight of "${alias}" must be a positive number`,
        "Write --weights a=2,b=1",
      );
    }
  }
  const threshold = request.threshold ?? DEFAULT_THRESHOLD;
  if (!(threshold > 0.5 && threshold <= 1)) {
    throw voteUsageError(
      "threshold",
      `${threshold} is outside (0.5, 1]`,
      "A supermajority is more than half and at most all: e.g. --threshold 0.67.",
    );
  }
  const quorum = request.quorum ?? 1;
  if (!Number.isInteger(quorum) || quorum < 1) {
    throw voteUsageError("quorum", `${quorum} is not a positive whole number`, "Write --quorum 3");
  }
  if (quorum > request.members.length) {
    throw voteUsageError(
      "quorum",
      `${quorum} is larger than the committee (${request.members.length} members)`,
      "Lower --quorum or add members.",
    );
  }
  const rounds = request.rounds ?? DEFAULT_ROUNDS;
  if (!Number.isInteger(rounds) || rounds < 0) {
    throw voteUsageError(
      "rounds",
      `${rounds} is not a whole number ≥ 0`,
      "Write --rounds 2 (0: no deliberation).",
    );
  }
  const tieBreak = request.tieBreak ?? "none";
  if (!TIE_BREAKS.includes(tieBreak)) {
    throw voteUsageError(
      "tieBreak",
      `unknown rule "${tieBreak}"`,
      `Use one of ${TIE_BREAKS.join(", ")}.`,
    );
  }
  if (tieBreak === "chair" && request.chair === undefined) {
    throw voteUsageError("tieBreak", "chair needs a chair", "Name one: --chair MODEL");
  }
  if (request.budgetUsd !== undefined && !(request.budgetUsd > 0)) {
    throw voteUsageError(
      "budgetUsd",
      `${request.budgetUsd} is not a positive amount`,
      "Write --budget-usd 0.50",
    );
  }
  if (request.seed !== undefined && !Number.isInteger(request.seed)) {
    throw voteUsageError("seed", `${request.seed} is not a whole number`, "Write --seed 42");
  }
  return {
    question,
    options,
    members: request.members,
    method,
    weights: request.members.map((alias) => weights[alias] ?? 1),
    quorum,
    threshold,
    rounds,
    chair: request.chair,
    tieBreak,
    seed: request.seed ?? randomSeed(),
    budgetUsd: request.budgetUsd,
    free,
  };
}
