import type { Command } from "commander";
import type { CommandRunner } from "./command-runner.js";

const HEALTH_HELP = `
One line per check: store (reachable), workers (a live worker serves every queue where tasks
wait: ready, or due to be retried or started), agents (not every configured agent is failing).
Exit 0 when every check passes (no agents configured passes), 1 with the reason otherwise.`;

export function registerHealthCheckCommand(program: Command, runner: CommandRunner): void {
  program
    .command("health-check")
    .description(
      "exit 1 with the reason when the store is unreachable, waiting tasks have no live worker, or every agent is failing",
    )
    .addHelpText("after", HEALTH_HELP)
    .action(runner.lazy(async () => (await import("./health-check-action.js")).runHealthCheck));
}
