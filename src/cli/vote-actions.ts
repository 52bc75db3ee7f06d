import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  findVote,
  listVotes,
  type TieBreak,
  type VoteRequest,
  type VotingMethod,
  vote,
} from "../consensus/index.js";
import { UsageError } from "../errors/index.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_FAILED, EXIT_OK } from "./exit-codes.js";
import { formatTable } from "./format-table.js";
import { formatUsd } from "./format-usd.js";
import { withInterrupt } from "./interrupt-signal.js";
import { isoTime, tableTime } from "./iso-time.js";
import { parsePositiveInteger } from "./parse-duration.js";
import { parseList, readPrompt } from "./read-prompt.js";
import { printVote } from "./vote-format.js";

export interface VoteFlags {
  options?: string;
  optionsFile?: string;
  models?: string;
  method?: string;
  weights?: string;
  quorum?: string;
  threshold?: string;
  rounds?: string;
  chair?: string;
  tieBreak?: string;
  seed?: string;
  budgetUsd?: string;
  free?: boolean;
  maxTokens?: string;
}

function parseNumber(text: string, flag: string, example: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) {
    throw new UsageError(`${flag}: "${text}" is not a number`, {
      hint: `Write ${flag} ${example}`,
    });
  }
  return value;
}

function parseWholeNumber(text: string, flag: string, example: string): number {
  const value = parseNumber(text, flag, example);
  if (!Number.isInteger(value) || value < 0) {
    throw new UsageError(`${flag}: "${text}" is not a whole number ≥ 0`, {
      hint: `Write ${flag} ${example}`,
    });
  }
  return value;
}

/** `a=2,b=1` → `{ a: 2, b: 1 }`. */
function parseWeights(text: string): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const entry of parseList(text, "--weights")) {
    const match = /^([^=]+)=(.+)$/.exec(entry);
    if (!match) {
      throw new UsageError(`--weights: "${entry}" is not member=weight`, {
        hint: "Write --weights a=2,b=1",
      });
    }
    weights[(match[1] ?? "").trim()] = parseNumber((match[2] ?? "").trim(), "--weights", "a=2,b=1");
  }
  return weights;
}

async function readOptions(flags: VoteFlags, context: CliContext): Promise<string[] | undefined> {
  if (flags.options !== undefined && flags.optionsFile !== undefined) {
    throw new UsageError("--options and --options-file: give one of them", {
      hint: "Use --options-file for long options, one per line.",
    });
  }
  if (flags.options !== undefined) return parseList(flags.options, "--options");
  if (flags.optionsFile === undefined) return undefined;
  const path = resolve(context.io.cwd, flags.optionsFile);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(`--options-file: cannot read ${path} (${(error as Error).message})`, {
      hint: "Give a text file with one option per line.",
    });
  }
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** The request the flags describe; every bad value is a usage error naming its flag. */
async function voteRequest(
  context: CliContext,
  questionArgument: string | undefined,
  flags: VoteFlags,
): Promise<VoteRequest> {
  if (flags.models === undefined) {
    throw new UsageError("--models: a committee needs members", {
      hint: "Name them: --models a,b,c",
    });
  }
  const options = await readOptions(flags, context);
  const question = await readPrompt(questionArgument, context.io, "vote");
  return {
    question,
    members: parseList(flags.models, "--models"),
    ...(options === undefined ? {} : { options }),
    ...(flags.method === undefined ? {} : { method: flags.method as VotingMethod }),
    ...(flags.weights === undefined ? {} : { weights: parseWeights(flags.weights) }),
    ...(flags.quorum === undefined
      ? {}
      : { quorum: parsePositiveInteger(flags.quorum, "--quorum") }),
    ...(flags.threshold === undefined
      ? {}
      : { threshold: parseNumber(flags.threshold, "--threshold", "0.67") }),
    ...(flags.rounds === undefined
      ? {}
      : { rounds: parseWholeNumber(flags.rounds, "--rounds", "2") }),
    ...(flags.chair === undefined ? {} : { chair: flags.chair }),
    ...(flags.tieBreak === undefined ? {} : { tieBreak: flags.tieBreak as TieBreak }),
    ...(flags.seed === undefined ? {} : { seed: parseWholeNumber(flags.seed, "--seed", "42") }),
    ...(flags.budgetUsd === undefined
      ? {}
      : { budgetUsd: parseNumber(flags.budgetUsd, "--budget-usd", "0.50") }),
    ...(flags.maxTokens === undefined
      ? {}
      : { maxTokens: parsePositiveInteger(flags.maxTokens, "--max-tokens") }),
    ...(flags.free ? { free: true } : {}),
  };
}

export async function runVote(
  context: CliContext,
  questionArgument: string | undefined,
  flags: VoteFlags,
): Promise<number> {
  const request = await voteRequest(context, questionArgument, flags);
  const gateway = await context.gateway();
  const store = await context.store();
  const result = await withInterrupt((signal) =>
    vote(gateway, store, { ...request, signal }, { actor: context.actor }),
  );
  if (context.options.json) context.printJson(result);
  else printVote(context, result);
  return result.status === "decided" ? EXIT_OK : EXIT_FAILED;
}

export async function runVotes(context: CliContext, flags: { limit: string }): Promise<number> {
  const limit = parsePositiveInteger(flags.limit, "--limit");
  const rows = await listVotes(await context.store(), limit);
  const listed = rows.map((row) => ({
    voteId: row.id,
    question: row.question,
    method: row.method,
    status: row.status,
    winner: row.winner,
    costUsd: row.cost_usd,
    durationMs: row.duration_ms,
    runId: row.run_id,
    stepId: row.step_id,
    createdAt: isoTime(row.created_at),
  }));
  if (context.options.json) {
    context.printJson({ success: true, votes: listed });
    return EXIT_OK;
  }
  if (listed.length === 0) {
    context.print("No votes.");
    return EXIT_OK;
  }
  context.print(
    formatTable(rows, [
      { header: "VOTE", value: (row) => row.id },
      { header: "CREATED", value: (row) => tableTime(row.created_at) },
      { header: "METHOD", value: (row) => row.method },
      { header: "STATUS", value: (row) => row.status },
      { header: "WINNER", value: (row) => (row.winner ?? "-").slice(0, 30) },
      { header: "COST", value: (row) => formatUsd(row.cost_usd), align: "right" },
      { header: "QUESTION", value: (row) => row.question.replace(/\s+/g, " ").slice(0, 50) },
    ]),
  );
  return EXIT_OK;
}

export async function runVotesShow(context: CliContext, voteId: string): Promise<number> {
  const result = await findVote(await context.store(), voteId);
  if (!result) {
    throw new UsageError(`votes show: no vote "${voteId}" in the store`, {
      hint: "List votes with: orkestra votes",
    });
  }
  if (context.options.json) context.printJson({ success: true, vote: result });
  else printVote(context, result);
  return EXIT_OK;
}
