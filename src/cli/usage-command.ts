import { type Command, Option } from "commander";
import type { UsageGrouping } from "../models/index.js";
import type { CommandRunner } from "./command-runner.js";

const GROUPINGS: readonly UsageGrouping[] = ["model", "day"];

export function registerUsageCommand(program: Command, runner: CommandRunner): void {
  program
    .command("usage")
    .description(
      "tokens and cost of model calls from the ledger, per model or per UTC day, with a total",
    )
    .option("--since <duration>", "only calls newer than this (30m, 24h, 7d)", "24h")
    .addOption(
      new Option("--by <grouping>", "one line per model alias or per UTC day")
        .choices(GROUPINGS)
        .default("model"),
    )
    .action(runner.lazy(async () => (await import("./usage-action.js")).runUsage));
}
