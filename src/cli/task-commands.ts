import type { Command } from "commander";
import type { CommandRunner } from "./command-runner.js";

// Spelt out here rather than imported: the definitions load nothing but commander.
const STATUSES = "waiting, ready, running, succeeded, failed, dead, blocked, cancelled";

const ADD_HELP = `
One task from the flags, or every task of --file: a YAML or JSON list of tasks with the keys
key, title, instructions, kind, queue, priority, needs, capabilities, payload, maxAttempts,
timeout (30s, 10m, or milliseconds), runAt (ISO time or duration from now), idempotencyKey,
agent. needs names ids of existing tasks or keys of other entries. All tasks are added in one
transaction, or none: a bad entry is named by its line, index and key (exit 2).
Any queue name is accepted; a queue no worker or schedule knows of yet is added with a warning.`;

export function registerTaskCommands(program: Command, runner: CommandRunner): void {
  const task = program
    .command("task")
    .description("durable tasks: add, list, show, cancel, retry, explain their assignment");

  task
    .command("add")
    .description("add a task, or a list of tasks from a file, in one transaction")
    .option("--title <text>", "what the task is, one line")
    .option("--instructions <text>", "what to do: for an agent task, what its model is asked")
    .option("--priority <n>", "-1000 (last) to 1000 (first) within its queue (default 0)")
    .option("--needs <ids>", "ids of tasks that must succeed first, comma-separated")
    .option("--capabilities <list>", "what the doer must be able to do, comma-separated")
    .option("--queue <name>", 'the queue it waits in (default "default")')
    .option("--payload <json>", "input data, as JSON")
    .option("--kind <name>", 'agent, or the name of a handler (default "agent")')
    .option("--max-attempts <n>", "attempts before it is dead (default 3)")
    .option("--timeout <duration>", "how long one attempt may run (default 10m)")
    .option("--run-at <time>", "not before this ISO time, or this long from now (10m)")
    .option("--idempotency-key <key>", "adding the same key again returns the existing task")
    .option("--agent <name>", "the agent that should do it")
    .option("-f, --file <path>", "a YAML or JSON list of tasks (instead of the flags above)")
    .addHelpText("after", ADD_HELP)
    .action(runner.lazy(async () => (await import("./task-add-action.js")).runTaskAdd));

  task
    .command("list")
    .description("list tasks, newest first")
    .option("--status <status>", `only tasks in these statuses, comma-separated (${STATUSES})`)
    .option("--queue <name>", "only tasks of this queue")
    .option("--limit <n>", "at most this many tasks", "50")
    .action(runner.lazy(async () => (await import("./task-actions.js")).runTaskList));

  task
    .command("show")
    .description(
      "show a task: its attempts (worker, agent, fencing token, outcome, error), dependencies and result",
    )
    .argument("<id>", "the task id")
    .action(runner.lazy(async () => (await import("./task-actions.js")).runTaskShow));

  task
    .command("cancel")
    .description("cancel a task; a running one is stopped by its worker at its next heartbeat")
    .argument("<id>", "the task id")
    .option("--reason <text>", "why, recorded on the task and in the audit trail")
    .action(runner.lazy(async () => (await import("./task-actions.js")).runTaskCancel));

  task
    .command("retry")
    .description("run a dead, cancelled or blocked task again, with a full set of attempts")
    .argument("<id>", "the task id")
    .action(runner.lazy(async () => (await import("./task-actions.js")).runTaskRetry));

  task
    .command("explain")
    .description(
      "which agent the task would go to: every agent's score, its parts, and why one is excluded",
    )
    .argument("<id>", "the task id")
    .action(runner.lazy(async () => (await import("./task-explain-action.js")).runTaskExplain));
}
