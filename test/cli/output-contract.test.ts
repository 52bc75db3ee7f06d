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
  await writeFile(
    join(made.dir, WORKFLOW),
    'name: review\nsteps:\n  draft: { prompt: "Draft", model: sim }\n',
  );
});

afterAll(() => made.remove());

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

/** A workflow file in the workspace, for `graph`. */
const WORKFLOW = "workflow.yaml";
/** What the commands below are given that is not part of the command's name. */
const ARGUMENTS = new Set(["hello", WORKFLOW]);

/** Every command, with the arguments it needs to run; a test checks none is missing. */
const COMMANDS = [
  ["ask", "hello"],
  ["models", "list"],
  ["models", "test"],
  ["usage"],
  ["audit"],
  ["audit", "export"],
  ["validate-config"],
  ["config", "schema"],
  ["config", "show"],
  ["graph", WORKFLOW],
];

describe("every command", () => {
  it("is in this list", () => {
    const listed = COMMANDS.map((args) => args.filter((arg) => !ARGUMENTS.has(arg)).join(" "));
    expect(listed.sort()).toEqual(leafCommands().sort());
  });

  it.each(COMMANDS)(
    "prints one JSON document with success and ISO times for %s %s --json, logs on stderr",
    async (...args) => {
      // Info-level logs on, to prove they never reach stdout.
      const run = await runInProcess(["--json", ...args], {
        cwd: made.dir,
        env: { LOG_LEVEL: "debug" },
      });
      expect(run.code).toBe(0);
      const document = parseJson(run);
      expect(document.success).toBe(true);
      expect(epochTimes(document)).toEqual([]);
    },
  );

  it.each(COMMANDS)("keeps stderr empty for %s %s with --quiet", async (...args) => {
    const run = await runInProcess(["--quiet", ...args], { cwd: made.dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
  });

  it.each(COMMANDS)("explains %s %s in --help", async (...args) => {
    const command = args.filter((arg) => /^[a-z-]+$/.test(arg) && !ARGUMENTS.has(arg));
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
