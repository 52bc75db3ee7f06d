import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  leafCommands,
  makeWorkspace,
  parseJson,
  runInProcess,
  type Workspace,
} from "./cli-harness.js";

/**
 * What every command promises about its output: --json is exactly one JSON document on
 * stdout (logs stay on stderr), --quiet leaves stderr empty when all goes well, and --help
 * works everywhere.
 */

let made: Workspace;

beforeAll(async () => {
  made = await makeWorkspace({ models: { sim: { provider: "simulated", latencyMs: 1 } } });
  await writeFile(join(made.dir, "tiny.yaml"), TINY_WORKFLOW);
  await writeFile(join(made.dir, "gate.yaml"), GATE_WORKFLOW);
});

afterAll(() => made.remove());

/** Every command, with the arguments it needs to run; a test checks none is missing. */
/** Key paths of values that look like epoch-ms times (keys `at`, `since`, `*At`, `time`). */
function epochTimes(value: unknown, path = ""): string[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => epochTimes(item, `${path}[${index}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) =>
    typeof item === "number" && /^(at|since|time|until)$|At$/.test(key)
      ? [`${path}.${key}`]
      : epochTimes(item, `${path}.${key}`),
  );
}

/** A tiny workflow on the simulated model, and one that waits for a person. */
const TINY_WORKFLOW = `name: tiny
steps:
  answer: { prompt: "Say hello", model: sim }
`;
const GATE_WORKFLOW = `name: gate
steps:
  review: { approval: { title: "Ship it?", prompt: "Ship it?" } }
`;

async function runId(file: string): Promise<string> {
  const run = await runInProcess(["--json", "run", file], { cwd: made.dir });
  return (JSON.parse(run.stdout) as { runId: string }).runId;
}

/** A fresh approval waiting for a decision, for each command that decides one. */
async function waitingApproval(): Promise<string> {
  const id = await runId("gate.yaml");
  const listed = await runInProcess(["--json", "approvals"], { cwd: made.dir });
  const { approvals } = JSON.parse(listed.stdout) as {
    approvals: { id: string; runId: string }[];
  };
  return approvals.find((approval) => approval.runId === id)!.id;
}

/**
 * A task that will not be due for an hour, so that `health-check` stays healthy without a
 * worker; `needing` makes it wait for another such task instead.
 */
async function taskId(needing?: string): Promise<string> {
  const args = ["--json", "task", "add", "--title", "Later", "--run-at", "1h"];
  if (needing !== undefined) args.push("--needs", needing);
  const run = await runInProcess(args, { cwd: made.dir });
  return (JSON.parse(run.stdout) as { tasks: { id: string }[] }).tasks[0]!.id;
}

/** A cancelled task whose retry leaves it waiting (for a dependency), not due. */
async function cancelledTaskId(): Promise<string> {
  const id = await taskId(await taskId());
  await runInProcess(["task", "cancel", id], { cwd: made.dir });
  return id;
}

async function voteId(): Promise<string> {
  const run = await runInProcess(
    ["--json", "vote", "Ship it?", "--options", "yes,no", "--models", "sim,sim,sim"],
    { cwd: made.dir },
  );
  return (JSON.parse(run.stdout) as { voteId: string }).voteId;
}

/**
 * Every command, with the arguments it needs to run successfully, made fresh for each use (a
 * decided approval cannot be decided again); a test checks none is missing.
 */
const COMMANDS: readonly [string, () => Promise<string[]>][] = [
  ["ask", async () => ["ask", "hello"]],
  ["models list", async () => ["models", "list"]],
  ["models test", async () => ["models", "test"]],
  ["usage", async () => ["usage"]],
  ["audit", async () => ["audit"]],
  ["audit export", async () => ["audit", "export"]],
  ["validate-config", async () => ["validate-config"]],
  ["config schema", async () => ["config", "schema"]],
  ["config show", async () => ["config", "show"]],
  ["graph", async () => ["graph", "tiny.yaml"]],
  ["run", async () => ["run", "tiny.yaml"]],
  ["runs", async () => ["runs"]],
  ["show", async () => ["show", await runId("tiny.yaml")]],
  ["resume", async () => ["resume", await runId("gate.yaml")]],
  ["cancel", async () => ["cancel", await runId("gate.yaml")]],
  ["gc", async () => ["gc"]],
  ["approvals", async () => ["approvals"]],
  ["approve", async () => ["approve", await waitingApproval()]],
  ["reject", async () => ["reject", await waitingApproval(), "--reason", "not yet"]],
  ["demo", async () => ["demo"]],
  [
    "vote",
    async () => ["vote", "Ship on Friday?", "--options", "yes,no", "--models", "sim,sim,sim"],
  ],
  ["votes", async () => ["votes"]],
  ["votes show", async () => ["votes", "show", await voteId()]],
  ["task add", async () => ["task", "add", "--title", "Later", "--run-at", "1h"]],
  ["task list", async () => ["task", "list"]],
  ["task show", async () => ["task", "show", await taskId()]],
  ["task cancel", async () => ["task", "cancel", await taskId()]],
  ["task retry", async () => ["task", "retry", await cancelledTaskId()]],
  ["task explain", async () => ["task", "explain", await taskId()]],
  ["workers", async () => ["workers"]],
  ["status", async () => ["status"]],
  ["health-check", async () => ["health-check"]],
  ["worker", async () => ["worker", "--once", "--poll", "50ms"]],
];

describe("every command", () => {
  it("is in this list", () => {
    const listed = COMMANDS.map(([name]) => name);
    expect(listed.sort()).toEqual(leafCommands().sort());
  });

  it.each(COMMANDS)(
    "prints one JSON document with success and ISO times for %s --json, logs on stderr",
    async (_name, argumentsFor) => {
      // Info-level logs on, to prove they never reach stdout.
      const run = await runInProcess(["--json", ...(await argumentsFor())], {
        cwd: made.dir,
        env: { LOG_LEVEL: "debug" },
      });
      expect(run.code).toBe(0);
      const document = parseJson(run);
      expect(document.success).toBe(true);
      expect(epochTimes(document)).toEqual([]);
    },
  );

  it.each(COMMANDS)("keeps stderr empty for %s with --quiet", async (_name, argumentsFor) => {
    const run = await runInProcess(["--quiet", ...(await argumentsFor())], { cwd: made.dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
  });

  it.each(COMMANDS)("explains %s in --help", async (name) => {
    const command = name.split(" ");
    const run = await runInProcess([...command, "--help"], { cwd: made.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: orkestra ${command.join(" ")} `));
  });
});

describe("the program", () => {
  it("states the exit codes and the --json contract in --help", async () => {
    const run = await runInProcess(["--help"], { cwd: made.dir });
    expect(run.stdout).toContain("Exit codes: 0 success");
    expect(run.stdout).toContain("2 bad usage or configuration");
  });

  it("prints the version as JSON with --json", async () => {
    const run = await runInProcess(["--json", "--version"], { cwd: made.dir });
    expect(run.code).toBe(0);
    expect(parseJson(run)).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it("answers unknown commands and flags with exit 2, in JSON too", async () => {
    const human = await runInProcess(["frobnicate"], { cwd: made.dir });
    expect(human.code).toBe(2);
    expect(human.stderr).toContain("unknown command 'frobnicate'");
    const json = await runInProcess(["--json", "models", "list", "--wide"], { cwd: made.dir });
    expect(json.code).toBe(2);
    expect(parseJson(json)).toMatchObject({ success: false, error: { code: "usage" } });
  });

  it.each([
    [["models", "list", "--wide"], "unknown option '--wide'"],
    [["ask", "--models"], "argument missing"],
    [["frobnicate"], "unknown command 'frobnicate'"],
    [["models"], "missing command"],
  ])(
    "reports the parser's error %j like any other in --json mode, only on stdout",
    async (args, message) => {
      const run = await runInProcess(["--json", ...args], { cwd: made.dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe("");
      expect(parseJson(run)).toEqual({
        success: false,
        error: {
          name: "UsageError",
          code: "usage",
          message: expect.stringContaining(message),
          retryable: false,
          hint: expect.stringContaining("--help"),
        },
      });
    },
  );
});
