import type { Command } from "commander";
import type { CommandRunner } from "./command-runner.js";

export function registerApprovalCommands(program: Command, runner: CommandRunner): void {
  program
    .command("approvals")
    .description("list the approvals waiting for a decision")
    .action(runner.lazy(async () => (await import("./approval-actions.js")).runApprovals));

  program
    .command("approve")
    .description("approve a waiting step; the run goes on (run --wait) or with orkestra resume")
    .argument("<id>", "the approval id")
    .option("--comment <text>", "a comment for the audit trail and the run")
    .action(runner.lazy(async () => (await import("./approval-actions.js")).runApprove));

  program
    .command("reject")
    .description("reject a waiting step; the step fails with the reason")
    .argument("<id>", "the approval id")
    .requiredOption("--reason <text>", "why, for the audit trail and the run")
    .action(runner.lazy(async () => (await import("./approval-actions.js")).runReject));
}
