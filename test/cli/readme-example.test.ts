import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWorkspace, repositoryRoot, runInProcess, type Workspace } from "./cli-harness.js";

/** README's example orkestra.yaml must do what README says of it. */

function readmeExampleConfig(): string {
  const readme = readFileSync(join(repositoryRoot, "README.md"), "utf8");
  const block = /```yaml\n(store:[\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error("README.md has no ```yaml block starting with store:");
  return block;
}

let made: Workspace;

beforeAll(async () => {
  made = await makeWorkspace(readmeExampleConfig());
});

afterAll(() => made.remove());

describe("README's example configuration", () => {
  it("is valid", async () => {
    const run = await runInProcess(["validate-config"], { cwd: made.dir });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  it("has a simulated model that answers `models test` (exit 0), run after run", async () => {
    for (let round = 0; round < 3; round += 1) {
      const run = await runInProcess(["models", "test", "sim"], { cwd: made.dir });
      expect(run.stdout).toMatch(/^sim \(simulated\)\s+ok\s/m);
      expect(run.code).toBe(0);
    }
  });
});
