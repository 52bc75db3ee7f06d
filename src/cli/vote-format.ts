import type { RecordedBallot, VoteResult, VoteRound } from "../consensus/index.js";
import type { CliContext } from "./cli-context.js";
import { formatTable } from "./format-table.js";
import { formatUsd } from "./format-usd.js";

function oneLine(text: string | null, width = 80): string {
  const line = (text ?? "").replace(/\s+/g, " ").trim();
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

function talliesText(round: VoteRound): string {
  return Object.entries(round.tallies)
    .sort((left, right) => right[1] - left[1])
    .map(([option, points]) => `${oneLine(option, 30)} ${Number(points.toFixed(3))}`)
    .join(" · ");
}

function voteText(ballot: RecordedBallot): string {
  if (!ballot.valid) return "(abstained)";
  if (ballot.ranking !== undefined) return ballot.ranking.join(" > ");
  if (ballot.approvals !== undefined) return `approves ${ballot.approvals.join(", ") || "none"}`;
  const grouped = ballot.answer !== undefined && ballot.answer !== ballot.choice;
  return `${ballot.choice ?? ""}${grouped ? ` ("${oneLine(ballot.answer ?? "", 30)}")` : ""}`;
}

/** The human view of a vote: winner, tallies per round, each ballot, abstentions, cost, time. */
export function printVote(context: CliContext, result: VoteResult): void {
  const heading =
    result.status === "decided"
      ? `Decided: ${result.winner}`
      : result.status === "no_quorum"
        ? "No quorum: nothing was decided"
        : "No consensus";
  context.print(heading);
  context.print(
    `${result.method} · ${result.members.length} members · ${result.rounds.length} round(s) · ${formatUsd(result.costUsd)} · ${(result.durationMs / 1000).toFixed(2)}s`,
  );
  context.print(result.explanation);
  context.print("");
  if (result.rounds.length > 0) {
    context.print(
      formatTable(result.rounds, [
        { header: "ROUND", value: (round) => String(round.round), align: "right" },
        { header: "STAGE", value: (round) => round.stage },
        { header: "RESULT", value: (round) => round.status },
        { header: "VALID", value: (round) => String(round.validBallots), align: "right" },
        { header: "TALLIES", value: talliesText },
      ]),
    );
    context.print("");
  }
  if (result.grouping) {
    context.print("Answer groups:");
    for (const group of result.grouping.groups)
      context.print(`  ${group.label}: ${group.members.join(", ")}`);
    context.print("");
  }
  if (result.compromise) {
    context.print(
      `Chair's compromise (${result.compromise.adopted ? "adopted" : "not adopted"}): ${result.compromise.text}`,
    );
    context.print("");
  }
  const aliases = new Map(result.members.map((member) => [member.member, member.alias]));
  if (result.ballots.length > 0) {
    context.print(
      formatTable(result.ballots, [
        { header: "ROUND", value: (ballot) => String(ballot.round), align: "right" },
        {
          header: "MEMBER",
          value: (ballot) => `${ballot.member} (${aliases.get(ballot.member) ?? "?"})`,
        },
        { header: "MODEL", value: (ballot) => ballot.model },
        { header: "VOTE", value: (ballot) => oneLine(voteText(ballot), 40) },
        {
          header: "CONF",
          value: (ballot) => (ballot.confidence === null ? "-" : ballot.confidence.toFixed(2)),
          align: "right",
        },
        { header: "RATIONALE", value: (ballot) => oneLine(ballot.rationale ?? "", 60) },
      ]),
    );
  }
  if (result.abstentions.length > 0) {
    context.print("");
    context.print("Abstentions:");
    for (const abstention of result.abstentions) {
      context.print(
        `  round ${abstention.round} · ${abstention.member} (${abstention.model}): ${oneLine(abstention.reason, 160)}`,
      );
    }
  }
  context.print("");
  context.print(`vote ${result.voteId} · seed ${result.seed}`);
}
