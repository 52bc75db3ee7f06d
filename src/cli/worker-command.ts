import type { Command } from "commander";
import type { CommandRunner } from "./command-runner.js";

export function registerWorkerCommand(program: Command, runner: CommandRunner): void {
  program
    .command("worker")
    .description(
      "run tasks and detached workflow runs from the store's queues until stopped (SIGTERM/SIGINT: finish in-flight work, then exit 0); also fires the config's schedules",
    )
    .option("--concurrency <n>", "tasks at once in each process (a workflow run is one)", "10")
    .option("--queues <names>", "queues to serve, comma-separated", "default,workflows")
    .option("--agents <names>", "agents whose tasks to do, comma-separated (default: every agent)")
    .option(
      "--processes <n>",
      "run this many worker processes and restart one that dies, with backoff (default: 1, in this process)",
    )
    .option("--grace <duration>", "how long in-flight work may finish after a stop signal", "30s")
    .option("--lease <duration>", "how long a task's lease holds without a heartbeat", "30s")
    .option("--poll <duration>", "how often an idle worker looks for tasks anyway", "1s")
    .option("--once", "stop once nothing is left to claim in its queues (exit 0)", false)
    .action(runner.lazy(async () => (await import("./worker-action.js")).runWorker));
}
