import { UsageError } from "../errors/index.js";
import type { VoteRequest } from "./vote-request.js";

/** The command-line flag of each request field, so one message serves the CLI and the library. */
const FLAGS: Readonly<Record<keyof VoteRequest, string>> = {
  question: "the question",
  options: "--options",
  members: "--models",
  method: "--method",
  weights: "--weights",
  quorum: "--quorum",
  threshold: "--threshold",
  rounds: "--rounds",
  chair: "--chair",
  tieBreak: "--tie-break",
  seed: "--seed",
  budgetUsd: "--budget-usd",
  free: "--free",
  maxTokens: "--max-tokens",
  signal: "signal",
  runId: "runId",
  stepId: "stepId",
};

/** A bad vote request: names the flag (and the library field) and what to do. */
export function voteUsageError(
  field: keyof VoteRequest,
  problem: string,
  hint: string,
): UsageError {
  const flag = FLAGS[field];
  const name = flag.startsWith("--") ? `${flag} (${field})` : flag;
  return new UsageError(`vote: ${name}: ${problem}`, { hint });
}
