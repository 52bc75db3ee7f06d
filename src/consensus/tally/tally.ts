import { UsageError } from "../../errors/index.js";
import type {
  Ballot,
  Tally,
  TallyAbstention,
  TallyOptions,
  TallyResult,
  VotingMethod,
} from "../ballot.js";
import { countApproval } from "./approval.js";
import { countBorda } from "./borda.js";
import { countInstantRunoff } from "./instant-runoff.js";
import { countMajority } from "./majority.js";
import type { MethodOutcome } from "./method-outcome.js";
import { countOf } from "./option-counts.js";
import { countPlurality } from "./plurality.js";
import { readApprovals, readChoices, readRankings } from "./read-ballots.js";
import { countSchulze } from "./schulze.js";
import { countSupermajority } from "./supermajority.js";
import { resolveTallySettings, type TallySettings } from "./tally-settings.js";
import { countUnanimous } from "./unanimous.js";
import { countWeighted } from "./weighted.js";

export const VOTING_METHODS: readonly VotingMethod[] = [
  "plurality",
  "majority",
  "supermajority",
  "unanimous",
  "weighted",
  "ranked",
  "borda",
  "approval",
  "condorcet",
];

interface Counted {
  outcome: MethodOutcome;
  valid: number;
  abstained: TallyAbstention[];
}

/** How many abstentions the explanation names before it says how many more there are. */
const NAMED_ABSTENTIONS = 3;

/**
 * Counts `ballots` over `options` by `method`: pure, deterministic, and independent of the
 * order of `ballots` (counts are exact sums; ties are named, never broken by position).
 *
 * A ballot counts when it has no `abstention` and the field its method reads names only
 * options, each at most once. Any other ballot is an abstention with its reason, listed in
 * `abstained`: the committee validates ballots before this, so one that slips through is
 * reported, never counted as a vote for something else. Fewer valid ballots than the quorum
 * is `no_quorum`; the rounds still show what the valid ballots said.
 */
export const tally: Tally = (method, ballots, options, tallyOptions) => {
  const settings = resolveTallySettings(tallyOptions ?? ({} satisfies TallyOptions));
  checkOptions(options);
  const { outcome, valid, abstained } = count(method, ballots, options, settings);
  abstained.sort(byMember);
  const base = {
    method,
    rounds: outcome.rounds,
    validBallots: valid,
    abstentions: abstained.length,
    abstained,
    ...(outcome.pairwise === undefined ? {} : { pairwise: outcome.pairwise }),
    ...(outcome.strongestPaths === undefined ? {} : { strongestPaths: outcome.strongestPaths }),
  };
  const ballotsLine = describeBallots(valid, abstained, settings.quorum);
  if (valid < settings.quorum) {
    return {
      ...base,
      status: "no_quorum",
      explanation: `No quorum: ${countOf(valid, "valid ballot")}, ${settings.quorum} needed, so nothing is decided; the rounds show how the valid ballots were counted. ${ballotsLine}`,
    };
  }
  const result: TallyResult = {
    ...base,
    status: outcome.status,
    ...(outcome.winner === undefined ? {} : { winner: outcome.winner }),
    ...(outcome.tied === undefined ? {} : { tied: outcome.tied }),
    explanation: `${outcome.explanation} ${ballotsLine}`,
  };
  return result;
};

function count(
  method: VotingMethod,
  ballots: readonly Ballot[],
  options: readonly string[],
  settings: TallySettings,
): Counted {
  const counted = <Read extends { counted: unknown[]; abstained: TallyAbstention[] }>(
    read: Read,
    run: (ballots: Read["counted"]) => MethodOutcome,
  ): Counted => ({
    outcome: run(read.counted),
    valid: read.counted.length,
    abstained: read.abstained,
  });
  switch (method) {
    case "plurality":
      return counted(readChoices(ballots, options, method), (valid) =>
        countPlurality(valid, options),
      );
    case "majority":
      return counted(readChoices(ballots, options, method), (valid) =>
        countMajority(valid, options),
      );
    case "supermajority":
      return counted(readChoices(ballots, options, method), (valid) =>
        countSupermajority(valid, options, settings.threshold),
      );
    case "unanimous":
      return counted(readChoices(ballots, options, method), (valid) =>
        countUnanimous(valid, options),
      );
    case "weighted":
      return counted(readChoices(ballots, options, method), (valid) =>
        countWeighted(valid, options),
      );
    case "ranked":
      return counted(readRankings(ballots, options, method), (valid) =>
        countInstantRunoff(valid, options),
      );
    case "borda":
      return counted(readRankings(ballots, options, method), (valid) => countBorda(valid, options));
    case "condorcet":
      return counted(readRankings(ballots, options, method), (valid) =>
        countSchulze(valid, options),
      );
    case "approval":
      return counted(readApprovals(ballots, options), (valid) => countApproval(valid, options));
    default:
      throw new UsageError(`unknown voting method ${JSON.stringify(method)}`, {
        hint: `use one of ${VOTING_METHODS.join(", ")}`,
      });
  }
}

function checkOptions(options: readonly string[]): void {
  const seen = new Set<string>();
  for (const option of options) {
    if (typeof option !== "string") {
      throw new UsageError(`option ${String(option)} is not text`, {
        hint: "pass the options as a list of strings",
      });
    }
    if (seen.has(option)) {
      throw new UsageError(`option ${JSON.stringify(option)} is listed twice`, {
        hint: "list each option once",
      });
    }
    seen.add(option);
  }
}

/** `Member 2` before `Member 10`; the same order whatever order the ballots came in. */
function byMember(left: TallyAbstention, right: TallyAbstention): number {
  return (
    left.member.localeCompare(right.member, "en", { numeric: true }) ||
    compareText(left.member, right.member) ||
    compareText(left.reason, right.reason)
  );
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function describeBallots(
  valid: number,
  abstained: readonly TallyAbstention[],
  quorum: number,
): string {
  const quorumText = `quorum ${quorum} ${valid >= quorum ? "met" : "not met"}`;
  if (abstained.length === 0) {
    return `Counted ${countOf(valid, "valid ballot")}, no abstentions; ${quorumText}.`;
  }
  const named = abstained
    .slice(0, NAMED_ABSTENTIONS)
    .map(({ member, reason }) => `${member}: ${reason}`);
  const more = abstained.length - named.length;
  const list = `${named.join("; ")}${more > 0 ? `; and ${more} more` : ""}`;
  return `Counted ${countOf(valid, "valid ballot")}; ${countOf(abstained.length, "abstention")}, not counted (${list}); ${quorumText}.`;
}
