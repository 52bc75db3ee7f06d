import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import type { ConfigIssue } from "./config-issue.js";
import { loadConfig } from "./load-config.js";
import { compileCron } from "./schedules-schema.js";

const directories: string[] = [];

afterEach(async () => {
  for (const directory of directories.splice(0)) {
    await rm(directory, { recursive: true, force: true });
  }
});

async function load(text: string) {
  const cwd = await mkdtemp(join(tmpdir(), "orkestra-schedules-"));
  directories.push(cwd);
  await writeFile(join(cwd, "orkestra.yaml"), text);
  return loadConfig({ cwd, env: {} });
}

async function issuesOf(text: string): Promise<ConfigIssue[]> {
  const error = await load(text).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!ConfigError.isInstance(error))
    throw new Error(`expected a ConfigError, got ${String(error)}`);
  expect(error.code).toBe("config.invalid");
  return [...error.issues];
}

const EXAMPLE = `schedules:
  nightly-review: { cron: "0 2 * * *", timezone: "Europe/Paris", workflow: examples/manuscript-review.yaml, inputs: { manuscript: "draft.md" }, catchUp: last }
  heartbeat:      { cron: "*/1 * * * * *", task: { title: "ping", instructions: "say ok", queue: default, priority: 0, capabilities: [] } }
`;

describe("schedules: in orkestra.yaml", () => {
  it("accepts a workflow schedule and a task schedule; catchUp defaults to none", async () => {
    const { config } = await load(EXAMPLE);
    expect(config.schedules).toEqual({
      "nightly-review": {
        cron: "0 2 * * *",
        timezone: "Europe/Paris",
        workflow: "examples/manuscript-review.yaml",
        inputs: { manuscript: "draft.md" },
        catchUp: "last",
      },
      heartbeat: {
        cron: "*/1 * * * * *",
        task: {
          title: "ping",
          instructions: "say ok",
          queue: "default",
          priority: 0,
          capabilities: [],
        },
        catchUp: "none",
      },
    });
  });

  it("defaults to no schedules", async () => {
    expect((await load("log: { level: info }\n")).config.schedules).toEqual({});
  });

  it("reports a cron expression that does not parse, at the schedule's cron, with croner's reason", async () => {
    const [issue, ...rest] = await issuesOf(
      'schedules:\n  nightly:\n    cron: "61 2 * * *"\n    task: { title: report }\n',
    );
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ keyPath: "schedules.nightly.cron", line: 3, column: 11 });
    expect(issue?.message).toBe(
      'invalid cron expression "61 2 * * *": Invalid value for minute: 61; write minute hour ' +
        "day-of-month month day-of-week, optionally with a seconds field first",
    );
  });

  it("reports a cron expression with the wrong number of fields", async () => {
    const [issue] = await issuesOf(
      'schedules:\n  daily: { cron: "every day", task: { title: t } }\n',
    );
    expect(issue?.keyPath).toBe("schedules.daily.cron");
    expect(issue?.message).toMatch(/exactly five, six, or seven space separated parts/);
  });

  it("reports a cron expression that can never fire", async () => {
    const [issue] = await issuesOf(
      'schedules:\n  never: { cron: "0 0 30 2 *", task: { title: t } }\n',
    );
    expect(issue).toMatchObject({
      keyPath: "schedules.never.cron",
      message: 'cron expression "0 0 30 2 *" never fires again',
    });
  });

  it("reports an unknown time zone at the schedule's timezone", async () => {
    const [issue, ...rest] = await issuesOf(
      "schedules:\n  nightly: { cron: '0 2 * * *', timezone: Mars/Olympus, task: { title: t } }\n",
    );
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({
      keyPath: "schedules.nightly.timezone",
      found: '"Mars/Olympus"',
      expected: "an IANA time zone such as Europe/Paris or UTC",
    });
  });

  it("wants exactly one of workflow and task, and inputs only with a workflow", async () => {
    const issues = await issuesOf(`schedules:
  both: { cron: "* * * * *", workflow: w.yaml, task: { title: t } }
  neither: { cron: "* * * * *" }
  stray: { cron: "* * * * *", task: { title: t }, inputs: { a: 1 } }
`);
    expect(issues.map((issue) => [issue.keyPath, issue.message])).toEqual([
      ["schedules.both.task", "`workflow` and `task` exclude each other; give one of them"],
      [
        "schedules.neither",
        "a schedule needs `workflow` (a workflow file to run) or `task` (a task to enqueue)",
      ],
      [
        "schedules.stray.inputs",
        "`inputs` belongs to a `workflow` schedule; give a task its data in `task.payload`",
      ],
    ]);
  });

  it("explains bad keys and values the way the rest of the file is explained", async () => {
    const issues = await issuesOf(`schedules:
  report:
    cron: "0 * * * *"
    catchup: last
    catchUp: sometimes
    task: { title: "", maxAttempts: 0, timeout: 1.5 }
`);
    expect(issues).toMatchObject([
      { keyPath: "schedules.report.catchup", suggestion: "catchUp" },
      { keyPath: "schedules.report.catchUp", expected: "one of none, last, all" },
      { keyPath: "schedules.report.task.title", expected: "a non-empty string" },
      { keyPath: "schedules.report.task.maxAttempts" },
      { keyPath: "schedules.report.task.timeout", expected: "a whole number" },
    ]);
  });

  it("reports a bad cron together with a type error elsewhere in the schedule", async () => {
    const issues = await issuesOf(
      'schedules:\n  report: { cron: "99 * * * *", task: { title: t, priority: high } }\n',
    );
    expect(issues.map((issue) => issue.keyPath)).toEqual([
      "schedules.report.cron",
      "schedules.report.task.priority",
    ]);
  });

  it("refuses a schedule name that is not a name", async () => {
    const [issue] = await issuesOf(
      'schedules:\n  "1st": { cron: "* * * * *", task: { title: t } }\n',
    );
    expect(issue).toMatchObject({
      keyPath: 'schedules["1st"]',
      message:
        "invalid name \"1st\", expected a name of letters, digits, '_', '.' or '-', starting with a letter",
    });
  });
});

describe("compileCron", () => {
  it("reads the expression in UTC unless a time zone is given", () => {
    const from = new Date(Date.UTC(2030, 0, 1));
    expect(compileCron("0 2 * * *", undefined).nextRun(from)?.toISOString()).toBe(
      "2030-01-01T02:00:00.000Z",
    );
    expect(compileCron("0 2 * * *", "Asia/Tokyo").nextRun(from)?.toISOString()).toBe(
      "2030-01-01T17:00:00.000Z",
    );
  });
});
