import type { BallotShape } from "./ballot.js";

/** What one member is shown of another's ballot in deliberation: label, vote, reason. */
export interface SharedRationale {
  member: string;
  vote: string;
  confidence: number | null;
  rationale: string;
}

export const MEMBER_SYSTEM =
  "You are one member of a committee that decides by vote. Think independently, answer honestly, and reply with only the JSON your ballot schema asks for.";

const INSTRUCTIONS: Readonly<Record<BallotShape | "free", string>> = {
  choice: 'Vote for exactly one option: put its text, exactly as listed, in "choice".',
  ranking:
    'Rank the options, most preferred first, in "ranking", each exactly as listed; you may leave out options you find unacceptable.',
  approvals:
    'List every option you find acceptable in "approvals", each exactly as listed (an empty list approves none).',
  free: 'Give your answer in "answer": short and direct, one phrase or sentence.',
};

/** The text of a ballot the others see: the choice, the ranking, the approvals or the answer. */
export function describeVote(ballot: {
  choice?: string;
  ranking?: readonly string[];
  approvals?: readonly string[];
  answer?: string;
}): string {
  if (ballot.choice !== undefined) return ballot.choice;
  if (ballot.ranking !== undefined) return ballot.ranking.join(" > ");
  if (ballot.approvals !== undefined) return `approves ${ballot.approvals.join(", ") || "none"}`;
  return ballot.answer ?? "(no vote)";
}

/**
 * One member's prompt for one round. Options come in the member's own order; in deliberation
 * the others appear only as `Member N`, never by model, in an order of this member's own.
 */
export function ballotPrompt(input: {
  question: string;
  shape: BallotShape | "free";
  shownOrder: readonly string[];
  member: string;
  deliberation?: { round: number; others: readonly SharedRationale[]; own?: SharedRationale };
}): string {
  const lines = [`You are ${input.member}.`, "", `Question: ${input.question}`, ""];
  if (input.shape !== "free") {
    lines.push("Options:", ...input.shownOrder.map((option) => `- ${option}`), "");
  }
  if (input.deliberation) {
    lines.push(
      `The last vote reached no decision. This is deliberation round ${input.deliberation.round}: here is how the committee voted and why. Weigh the arguments; you may keep or change your vote.`,
      "",
    );
    if (input.deliberation.own) {
      lines.push(
        `Your last ballot: ${input.deliberation.own.vote} — ${input.deliberation.own.rationale}`,
        "",
      );
    }
    for (const other of input.deliberation.others) {
      const confidence = other.confidence === null ? "" : ` (confidence ${other.confidence})`;
      lines.push(`${other.member}: ${other.vote}${confidence} — ${other.rationale}`);
    }
    lines.push("");
  }
  lines.push(
    INSTRUCTIONS[input.shape],
    'Put how sure you are, from 0 to 1, in "confidence" and your reason, in one or two sentences, in "rationale".',
  );
  return lines.join("\n");
}

/** The chair's prompt: the deadlock, anonymised, and a request for one compromise. */
export function compromisePrompt(input: {
  question: string;
  options: readonly string[];
  tallies: Readonly<Record<string, number>>;
  rationales: readonly SharedRationale[];
}): string {
  return [
    "You chair a committee that could not decide.",
    "",
    `Question: ${input.question}`,
    "",
    "Options and their points in the last count:",
    ...input.options.map((option) => `- ${option}: ${input.tallies[option] ?? 0}`),
    "",
    "The members' last ballots:",
    ...input.rationales.map((entry) => `${entry.member}: ${entry.vote} — ${entry.rationale}`),
    "",
    'Propose one compromise the members could accept (it may be one of the options, a combination, or a condition), in "compromise", and why, in "rationale". Reply with only the JSON.',
  ].join("\n");
}

/** A member's prompt for the final vote on the chair's compromise. */
export function compromiseBallotPrompt(input: {
  question: string;
  member: string;
  compromise: string;
  rationale: string;
  shownOrder: readonly string[];
}): string {
  return [
    `You are ${input.member}.`,
    "",
    `Question: ${input.question}`,
    "",
    "The committee could not decide. The chair proposes this compromise:",
    input.compromise,
    "",
    `The chair's reason: ${input.rationale}`,
    "",
    `Vote "${input.shownOrder[0]}" or "${input.shownOrder[1]}" in "choice"; put how sure you are (0 to 1) in "confidence" and your reason in "rationale".`,
  ].join("\n");
}

/** The chair's prompt to break a tie among `tied`, by the stated rule `--tie-break chair`. */
export function tieBreakPrompt(question: string, tied: readonly string[]): string {
  return [
    "You chair a committee whose vote ended in a tie. Break it.",
    "",
    `Question: ${question}`,
    "",
    "Tied options:",
    ...tied.map((option) => `- ${option}`),
    "",
    'Put the option you choose, exactly as listed, in "choice", how sure you are (0 to 1) in "confidence" and why in "rationale".',
  ].join("\n");
}

/** The judge's prompt: which of these answers say the same thing. */
export function judgePrompt(question: string, answers: readonly string[]): string {
  return [
    "Several people answered the same open question. Group the answers that mean the same thing.",
    "",
    `Question: ${question}`,
    "",
    "Answers:",
    ...answers.map((answer, index) => `${index}: ${answer}`),
    "",
    'Reply with only JSON: "groups", a list of groups, each a list of answer numbers; every number appears in exactly one group, and answers that differ in substance are in different groups.',
  ].join("\n");
}
