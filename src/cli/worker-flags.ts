import { UsageError } from "../errors/index.js";
import { parseDuration, parsePositiveInteger } from "./parse-duration.js";

/** The flags of `orkestra worker` as commander gives them. */
export interface WorkerFlags {
  concurrency: string;
  queues: string;
  agents?: string;
  processes?: string;
  grace: string;
  lease: string;
  poll: string;
  once?: boolean;
}

/** The flags, checked. */
export interface WorkerSettings {
  concurrency: number;
  queues: string[];
  /** Undefined: every configured agent. */
  agents: string[] | undefined;
  /** 1 runs the worker in this process; more, a supervisor of that many. */
  processes: number;
  graceMs: number;
  leaseMs: number;
  pollMs: number;
  once: boolean;
}

/** The most worker processes one supervisor starts: each holds store connections of its own. */
export const MAX_PROCESSES = 64;

const NAME = /^[A-Za-z0-9_.:-]{1,100}$/;

/** Checks the flags; a UsageError (exit 2) names the bad one. */
export function parseWorkerFlags(flags: WorkerFlags): WorkerSettings {
  const processes =
    flags.processes === undefined ? 1 : parsePositiveInteger(flags.processes, "--processes");
  if (processes > MAX_PROCESSES) {
    throw new UsageError(`--processes: ${processes} is more than ${MAX_PROCESSES}`, {
      hint: "Raise --concurrency instead, or run workers on more machines against one PostgreSQL.",
    });
  }
  const leaseMs = parseDuration(flags.lease, "--lease");
  if (leaseMs < 300) {
    throw new UsageError(`--lease: ${flags.lease} is shorter than 300ms`, {
      hint: "A lease is renewed three times per its length; give it at least 300ms (30s is the default).",
    });
  }
  return {
    concurrency: parsePositiveInteger(flags.concurrency, "--concurrency"),
    queues: names(flags.queues, "--queues"),
    agents: flags.agents === undefined ? undefined : names(flags.agents, "--agents"),
    processes,
    graceMs: parseDuration(flags.grace, "--grace"),
    leaseMs,
    pollMs: parseDuration(flags.poll, "--poll"),
    once: flags.once === true,
  };
}

/** The command line of one supervised process: the same settings, in this process. */
export function workerArguments(settings: WorkerSettings): string[] {
  return [
    "worker",
    "--concurrency",
    String(settings.concurrency),
    "--queues",
    settings.queues.join(","),
    ...(settings.agents === undefined ? [] : ["--agents", settings.agents.join(",")]),
    "--grace",
    `${settings.graceMs}ms`,
    "--lease",
    `${settings.leaseMs}ms`,
    "--poll",
    `${settings.pollMs}ms`,
    ...(settings.once ? ["--once"] : []),
  ];
}

function names(text: string, flag: string): string[] {
  const list = [
    ...new Set(
      text
        .split(",")
        .map((name) => name.trim())
        .filter((name) => name !== ""),
    ),
  ];
  const bad = list.find((name) => !NAME.test(name));
  if (list.length === 0 || bad !== undefined) {
    throw new UsageError(
      bad === undefined
        ? `${flag}: "${text}" names nothing`
        : `${flag}: "${bad}" is not a name (letters, digits and _ . : -)`,
      { hint: `Give ${flag} a comma-separated list, e.g. ${flag} default,workflows.` },
    );
  }
  return list;
}
