import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  RunEmitter,
  type RunHandle,
  type RunSummary,
  requireRunSource,
  startResume,
  startRun,
  type WorkflowDefinition,
} from "../engine/index.js";
import { UsageError } from "../errors/index.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_FAILED, EXIT_OK } from "./exit-codes.js";
import { formatUsd } from "./format-usd.js";
import { loadWorkflow } from "./load-workflow.js";
import { parsePositiveInteger } from "./parse-duration.js";
import { runJson } from "./run-json.js";
import { showProgress } from "./run-progress.js";

export interface RunFlags {
  input: string[];
  inputFile?: string;
  concurrency?: string;
  wait?: boolean;
  detach?: boolean;
  queue?: string;
}

async function readInputs(flags: RunFlags, context: CliContext): Promise<Record<string, unknown>> {
  const inputs: Record<string, unknown> = {};
  if (flags.inputFile) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(resolve(context.io.cwd, flags.inputFile), "utf8"));
    } catch (error) {
      throw new UsageError(`--input-file ${flags.inputFile}: ${(error as Error).message}`, {
        hint: 'Give a JSON file with one object of inputs: { "name": "value" }.',
      });
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new UsageError(`--input-file ${flags.inputFile}: expected one JSON object of inputs`);
    }
    Object.assign(inputs, parsed);
  }
  for (const pair of flags.input) {
    const equals = pair.indexOf("=");
    if (equals <= 0) {
      throw new UsageError(`--input ${pair}: expected name=value`, {
        hint: "For example --input manuscript=text; use --input-file inputs.json for long values.",
      });
    }
    const name = pair.slice(0, equals);
    // Text as given: resolveInputs converts it to the input's declared type.
    inputs[name] = pair.slice(equals + 1);
  }
  return inputs;
}

/** Exit 0 when the run succeeded, or waits for a person and the command was not asked to wait. */
function succeeded(summary: RunSummary): boolean {
  return summary.status === "succeeded" || summary.status === "waiting";
}

async function follow(
  context: CliContext,
  handle: RunHandle,
  stopProgress: () => void,
): Promise<number> {
  let summary: RunSummary;
  try {
    summary = await handle.done;
  } finally {
    stopProgress();
  }
  const success = succeeded(summary);
  if (context.options.json) {
    context.printJson(runJson(summary, success));
  } else {
    if (context.io.stdout.isTTY !== true) {
      context.print(
        `cost ${formatUsd(summary.costUsd)} · ${summary.steps.length} steps · orkestra show ${summary.runId}`,
      );
    }
    if (summary.status === "waiting")
      context.note(
        `Run ${summary.runId} waits for approval: orkestra approvals, then orkestra resume ${summary.runId}`,
      );
    if (summary.status === "paused")
      context.note(
        `Run ${summary.runId} is paused: fix the cause, then orkestra resume ${summary.runId}`,
      );
  }
  return success ? EXIT_OK : EXIT_FAILED;
}

export async function runRun(context: CliContext, file: string, flags: RunFlags): Promise<number> {
  const concurrency =
    flags.concurrency === undefined
      ? undefined
      : parsePositiveInteger(flags.concurrency, "--concurrency");
  if (flags.detach && flags.wait) {
    throw new UsageError("--detach and --wait do not go together", {
      hint: "--detach hands the run to the workers and exits; follow it with: orkestra show <run>",
    });
  }
  const definition = await loadWorkflow(file, context);
  const inputs = await readInputs(flags, context);
  if (flags.detach) return runDetached(context, definition, inputs, concurrency, flags.queue);
  const events = new RunEmitter();
  const stopProgress = showProgress(context, events);
  const handle = await startRun(definition, {
    store: await context.store(),
    gateway: await context.gateway(),
    logger: await context.logger(),
    events,
    inputs,
    waitForApprovals: flags.wait === true,
    ...(concurrency === undefined ? {} : { concurrency }),
  }).catch((error: unknown) => {
    stopProgress();
    throw error;
  });
  return follow(context, handle, stopProgress);
}

const QUEUE_NAME = /^[A-Za-z0-9_.:-]{1,100}$/;

/**
 * `run --detach`: the run is created (inputs checked) and queued with the workflow task that
 * drives it, in one transaction; any `orkestra worker` serving the queue takes it from there.
 */
async function runDetached(
  context: CliContext,
  definition: WorkflowDefinition,
  inputs: Record<string, unknown>,
  concurrency: number | undefined,
  queue: string | undefined,
): Promise<number> {
  if (queue !== undefined && !QUEUE_NAME.test(queue)) {
    throw new UsageError(`--queue: "${queue}" is not a queue name`, {
      hint: "A queue name is 1-100 letters, digits or _ . : - (default workflows).",
    });
  }
  const { enqueueRun } = await import("../engine/queue/index.js");
  const enqueued = await enqueueRun(await context.store(), definition, {
    inputs,
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(queue === undefined ? {} : { queue }),
  });
  if (context.options.json) {
    context.printJson({
      success: true,
      runId: enqueued.runId,
      status: "queued",
      workflow: definition.name,
      taskId: enqueued.taskId,
      queue: enqueued.queue,
    });
  } else {
    context.print(enqueued.runId);
    context.note(
      `Run ${enqueued.runId} is queued on ${enqueued.queue}; a worker runs it (orkestra worker). Follow it with: orkestra show ${enqueued.runId}`,
    );
  }
  return EXIT_OK;
}

export interface ResumeFlags {
  wait?: boolean;
  force?: boolean;
}

export async function runResume(
  context: CliContext,
  runId: string,
  flags: ResumeFlags,
): Promise<number> {
  const store = await context.store();
  const source = await requireRunSource(store, runId);
  const definition = await loadWorkflow(source, context);
  const events = new RunEmitter();
  const stopProgress = showProgress(context, events);
  const handle = await startResume(runId, {
    store,
    gateway: await context.gateway(),
    logger: await context.logger(),
    events,
    definition,
    waitForApprovals: flags.wait === true,
    takeOver: flags.force === true,
  }).catch((error: unknown) => {
    stopProgress();
    throw error;
  });
  return follow(context, handle, stopProgress);
}
