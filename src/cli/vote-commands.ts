import type { Command } from "commander";
import type { CommandRunner } from "./command-runner.js";

export function registerVoteCommands(program: Command, runner: CommandRunner): void {
  program
    .command("vote")
    .description("a committee of models decides: exit 0 when decided, 1 otherwise, 2 for bad usage")
    .argument("[question]", 'the question, or "-" to read it from stdin')
    .option("--options <list>", 'the options, comma-separated ("A,B,C")')
    .option("--options-file <path>", "the options, one per line")
    .option("-m, --models <aliases>", "the members: models or fallback chains, comma-separated")
    .option(
      "--method <method>",
      "plurality, majority, supermajority, unanimous, weighted, ranked, borda, approval, condorcet (default: plurality)",
    )
    .option("--weights <list>", "member weights for weighted: a=2,b=1 (default: 1 each)")
    .option("--quorum <n>", "valid ballots needed for any decision (default: 1)")
    .option(
      "--threshold <share>",
      "share of valid ballots supermajority needs, in (0.5, 1] (default: 0.667)",
    )
    .option("--rounds <n>", "deliberation rounds after a deadlocked vote (default: 1; 0: none)")
    .option(
      "--chair <model>",
      "proposes a compromise after the last round; breaks ties with --tie-break chair",
    )
    .option(
      "--tie-break <rule>",
      "a tie left after deliberation: chair, first-ranked (listed first in --options) or none (default: none)",
    )
    .option(
      "--seed <n>",
      "seed of each member's option order: makes a vote reproducible (default: random, shown)",
    )
    .option(
      "--budget-usd <usd>",
      "cap on this vote's spend: no round starts whose worst case would pass it",
    )
    .option("--max-tokens <n>", "output token cap per ballot")
    .option("--free", "an open question: members answer freely; equivalent answers are grouped")
    .action(runner.lazy(async () => (await import("./vote-actions.js")).runVote));

  const votes = program
    .command("votes")
    .description("list votes, newest first")
    .option("--limit <n>", "at most this many votes", "20")
    .action(runner.lazy(async () => (await import("./vote-actions.js")).runVotes));

  votes
    .command("show")
    .description("show a vote: winner, tallies per round, every ballot, abstentions, cost")
    .argument("<vote>", "the vote id")
    .action(runner.lazy(async () => (await import("./vote-actions.js")).runVotesShow));
}
