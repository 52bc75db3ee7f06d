import { afterAll, describe, expect, it } from "vitest";
import { makeWorkspace, parseJson, runInProcess, type Workspace } from "../../cli/cli-harness.js";

const workspaces: Workspace[] = [];

afterAll(() => Promise.all(workspaces.map((made) => made.remove())));

describe("orkestra validate-config with schedules", () => {
  it("exits 2 on a cron expression that does not parse, naming the schedule", async () => {
    const made = await makeWorkspace(
      'schedules:\n  nightly:\n    cron: "0 25 * * *"\n    workflow: review.yaml\n',
    );
    workspaces.push(made);
    const run = await runInProcess(["validate-config"], { cwd: made.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'orkestra.yaml:3:11 schedules.nightly.cron: invalid cron expression "0 25 * * *": Invalid value for hour: 25',
    );
    const json = await runInProcess(["--json", "validate-config"], { cwd: made.dir });
    expect(json.code).toBe(2);
    expect(parseJson(json)).toMatchObject({
      valid: false,
      issues: [{ keyPath: "schedules.nightly.cron", line: 3 }],
    });
  });

  it("accepts a file with schedules", async () => {
    const made = await makeWorkspace(
      'schedules:\n  heartbeat: { cron: "* * * * * *", timezone: UTC, task: { title: ping } }\n',
    );
    workspaces.push(made);
    const run = await runInProcess(["validate-config"], { cwd: made.dir });
    expect(run.code, run.stderr).toBe(0);
  });
});
