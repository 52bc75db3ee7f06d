import type { Ballot, TallyAbstention, VotingMethod } from "../ballot.js";

/** The ballots a method counts, and those it does not, each with its reason. */
export interface ReadBallots<Counted> {
  counted: Counted[];
  abstained: TallyAbstention[];
}

export interface ChoiceBallot {
  member: string;
  choice: string;
  /** A positive finite number, read only by `weighted`; 1 for every other method. */
  weight: number;
}

export interface RankingBallot {
  member: string;
  ranking: readonly string[];
}

export interface ApprovalBallot {
  member: string;
  approvals: readonly string[];
}

/**
 * Ballots for the methods that read `choice`. A choice that is not one of the options, and
 * (for `weighted`) a weight that is not a positive number, make the ballot an abstention with
 * that reason: never a vote for something else.
 */
export function readChoices(
  ballots: readonly Ballot[],
  options: readonly string[],
  method: VotingMethod,
): ReadBallots<ChoiceBallot> {
  const known = new Set(options);
  return readEach(ballots, (ballot, member) => {
    const { choice } = ballot;
    if (typeof choice !== "string") return `no choice: ${method} counts a ballot's choice`;
    if (!known.has(choice)) return `chose ${quote(choice)}, which is not one of the options`;
    if (method !== "weighted") return { member, choice, weight: 1 };
    const weight = ballot.weight ?? 1;
    if (typeof weight !== "number" || !Number.isFinite(weight) || weight <= 0) {
      return `weight ${quote(weight)} is not a positive number`;
    }
    return { member, choice, weight };
  });
}

/** Ballots for the methods that read `ranking`: each option at most once, at least one. */
export function readRankings(
  ballots: readonly Ballot[],
  options: readonly string[],
  method: VotingMethod,
): ReadBallots<RankingBallot> {
  const known = new Set(options);
  return readEach(ballots, (ballot, member) => {
    const { ranking } = ballot;
    if (!Array.isArray(ranking)) return `no ranking: ${method} counts a ballot's ranking`;
    if (ranking.length === 0) return "the ranking is empty";
    const problem = listProblem(ranking, known, "ranks");
    return problem ?? { member, ranking: [...ranking] };
  });
}

/** Ballots for `approval`: each option at most once; approving none is a valid ballot. */
export function readApprovals(
  ballots: readonly Ballot[],
  options: readonly string[],
): ReadBallots<ApprovalBallot> {
  const known = new Set(options);
  return readEach(ballots, (ballot, member) => {
    const { approvals } = ballot;
    if (!Array.isArray(approvals)) return "no approvals: approval counts a ballot's approvals";
    const problem = listProblem(approvals, known, "approves");
    return problem ?? { member, approvals: [...approvals] };
  });
}

/** Why a list of option names cannot be counted, or undefined when it can. */
function listProblem(
  names: readonly unknown[],
  known: ReadonlySet<string>,
  verb: string,
): string | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== "string" || !known.has(name)) {
      return `${verb} ${quote(name)}, which is not one of the options`;
    }
    if (seen.has(name)) return `${verb} ${quote(name)} twice`;
    seen.add(name);
  }
  return undefined;
}

/** Ballots that callers outside TypeScript may get wrong are read defensively: no crash. */
function readEach<Counted>(
  ballots: readonly Ballot[],
  read: (ballot: Ballot, member: string) => Counted | string,
): ReadBallots<Counted> {
  const counted: Counted[] = [];
  const abstained: TallyAbstention[] = [];
  for (const ballot of ballots as readonly unknown[]) {
    if (ballot === null || typeof ballot !== "object") {
      abstained.push({ member: "(no member)", reason: "the ballot is not an object" });
      continue;
    }
    const { member, abstention } = ballot as Ballot;
    const label = typeof member === "string" && member !== "" ? member : "(no member)";
    if (abstention !== undefined && abstention !== null) {
      const reason = typeof abstention.reason === "string" ? abstention.reason : "abstained";
      abstained.push({ member: label, reason });
      continue;
    }
    const outcome = read(ballot as Ballot, label);
    if (typeof outcome === "string") abstained.push({ member: label, reason: outcome });
    else counted.push(outcome);
  }
  return { counted, abstained };
}

function quote(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return String(value);
  return `a value of type ${value === null ? "null" : typeof value}`;
}
