import type { LoadedConfig } from "../config/index.js";
import { didYouMean } from "../config/index.js";
import { createWorkflowTaskHandler } from "../engine/queue/index.js";
import { UsageError } from "../errors/index.js";
import type { AgentsConfig } from "../queue/index.js";
import type { TaskHandler } from "../queue/worker/worker-options.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";
import { loadWorkflow } from "./load-workflow.js";
import { createWorkerAgentHandler } from "./worker-agent-handler.js";
import {
  parseWorkerFlags,
  type WorkerFlags,
  type WorkerSettings,
  workerArguments,
} from "./worker-flags.js";
import { type ServedQueue, serveQueue } from "./worker-runtime.js";
import { scheduleFire } from "./worker-schedule-fire.js";
import { supervise } from "./worker-supervisor.js";

/** `orkestra worker`: one worker in this process, or a supervisor of `--processes` of them. */
export async function runWorker(context: CliContext, flags: WorkerFlags): Promise<number> {
  const settings = parseWorkerFlags(flags);
  const loaded = await context.config();
  const agents = servedAgents(settings.agents, loaded.config.agents);
  if (settings.processes > 1) return runSupervisor(context, settings, loaded);

  const store = await context.store();
  const logger = await context.logger();
  const gateway = await context.gateway();
  const load = (path: string) => loadWorkflow(path, context);
  const handlers: Record<string, TaskHandler> = {
    workflow: createWorkflowTaskHandler({ store, gateway, logger, loadDefinition: load }),
    noop: () => null,
  };
  if (agents.length > 0) {
    handlers.agent = createWorkerAgentHandler({
      store,
      gateway,
      agents: loaded.config.agents,
      allowed: agents,
      fallbacks: loaded.config.fallbacks,
    });
  }
  const served = await serveQueue({
    store,
    logger,
    worker: {
      handlers,
      queues: settings.queues,
      concurrency: settings.concurrency,
      leaseMs: settings.leaseMs,
      pollMs: settings.pollMs,
      agents,
      // Only tasks some served agent can do: every capability of those agents.
      capabilities: coveredCapabilities(agents, loaded.config.agents),
    },
    schedules: loaded.config.schedules,
    fire: scheduleFire({ store, workspaceDir: loaded.workspaceDir, loadWorkflow: load }),
    graceMs: settings.graceMs,
    once: settings.once,
  });
  report(context, served);
  return EXIT_OK;
}

async function runSupervisor(
  context: CliContext,
  settings: WorkerSettings,
  loaded: LoadedConfig,
): Promise<number> {
  const logger = await context.logger();
  const globals = [
    ...(loaded.file === undefined ? [] : ["--config", loaded.file]),
    ...(context.options.quiet ? ["--quiet"] : []),
  ];
  const env = { ...context.io.env };
  // The supervisor's stdout holds its one JSON document; the workers' logs go to stderr.
  if (context.options.json && env.LOG_FORMAT === undefined) env.LOG_FORMAT = "json";
  const supervision = await supervise({
    processes: settings.processes,
    args: [...globals, ...workerArguments(settings)],
    cwd: context.io.cwd,
    env,
    logger,
    output: (text) => context.io.stderr.write(text),
  });
  if (context.options.json) {
    context.printJson({ success: supervision.exitCode === EXIT_OK, processes: supervision.slots });
  } else {
    const starts = supervision.slots.reduce((total, slot) => total + slot.starts, 0);
    context.print(
      `supervisor stopped: ${supervision.slots.length} worker processes, ${starts - supervision.slots.length} restarts`,
    );
  }
  return supervision.exitCode;
}

/** The agents `--agents` names (each must be configured), or every configured one. */
function servedAgents(named: readonly string[] | undefined, agents: AgentsConfig): string[] {
  const configured = Object.keys(agents);
  if (named === undefined) return configured;
  for (const name of named) {
    if (Object.hasOwn(agents, name)) continue;
    const suggestion = didYouMean(name, configured);
    throw new UsageError(
      `--agents: no agent "${name}" is configured${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`,
      {
        hint: `Configured agents: ${configured.join(", ") || "(none)"}. Declare agents under agents: in orkestra.yaml.`,
      },
    );
  }
  return [...named];
}

/** Every capability of the served agents (the claim compares them without regard to case). */
function coveredCapabilities(served: readonly string[], agents: AgentsConfig): string[] {
  return [...new Set(served.flatMap((name) => agents[name]?.capabilities ?? []))];
}

function report(context: CliContext, served: ServedQueue): void {
  const { stats } = served;
  if (context.options.json) {
    context.printJson({
      success: true,
      worker: {
        id: served.workerId,
        stoppedBy: served.stoppedBy,
        claimed: stats.claimed,
        succeeded: stats.succeeded,
        failed: stats.failed,
        refused: stats.refused,
        released: stats.released,
        eventLoopDelayMs: served.eventLoopDelayMs,
      },
    });
    return;
  }
  context.print(
    `worker ${served.workerId} stopped (${served.stoppedBy}): ${stats.succeeded} succeeded, ${stats.failed} failed, ${stats.released} released`,
  );
}
