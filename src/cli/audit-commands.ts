import type { Command } from "commander";
import type { CommandRunner } from "./command-runner.js";

function withFilters(command: Command): Command {
  return command
    .option("--since <duration>", "only events newer than this (30m, 1h, 7d)")
    .option("--action <action>", "only this action (model:call, budget:exceeded, ...)")
    .option("--actor <actor>", "only this actor (cli:alice, gateway, worker:<id>)");
}

export function registerAuditCommands(program: Command, runner: CommandRunner): void {
  const audit = withFilters(
    program
      .command("audit")
      .description("show the audit trail: who did what to which resource, and how it ended"),
  )
    .option("--limit <n>", "at most this many events (newest)", "100")
    .action(runner.lazy(async () => (await import("./audit-action.js")).showAudit));

  withFilters(
    audit
      .command("export")
      .description(
        "write the audit trail as JSON Lines, oldest first (with --json: one document { events } on stdout, or { file, count } with -o)",
      ),
  )
    .option("-o, --output <file>", "write to this file instead of stdout")
    .action(runner.lazy(async () => (await import("./audit-export-action.js")).exportAudit));
}
