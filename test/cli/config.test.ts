import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWorkspace, parseJson, runInProcess, type Workspace } from "./cli-harness.js";

const GOOD = `models:
  claude: { provider: anthropic, model: claude-sonnet-4-5 }
  sim: { provider: simulated, latencyMs: 1 }
fallbacks:
  smart: [claude, sim]
`;

/** Two problems, on lines 3 and 6. */
const BROKEN = `models:
  gpt:
    provider: opnai
    model: gpt-5
  sim: { provider: simulated }
log: { level: loud }
`;

const workspaces: Workspace[] = [];
let good: Workspace;
let broken: Workspace;

async function workspace(config?: string): Promise<Workspace> {
  const made = await makeWorkspace(config);
  workspaces.push(made);
  return made;
}

beforeAll(async () => {
  good = await workspace(GOOD);
  broken = await workspace(BROKEN);
});

afterAll(() => Promise.all(workspaces.map((made) => made.remove())));

describe("orkestra validate-config", () => {
  it("accepts a good file and summarises it", async () => {
    const run = await runInProcess(["validate-config"], { cwd: good.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /orkestra\.yaml is valid: 2 models: claude \(anthropic\), sim \(simulated\); fallback chains: smart/,
    );
    const json = await runInProcess(["--json", "validate-config"], { cwd: good.dir });
    expect(parseJson(json)).toMatchObject({
      success: true,
      valid: true,
      issues: [],
      models: ["claude", "sim"],
      fallbacks: ["smart"],
    });
  });

  it("reports every problem of a broken file with its key path and line, exit 2", async () => {
    const run = await runInProcess(["validate-config"], { cwd: broken.dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('orkestra.yaml:3:15 models.gpt.provider: found "opnai"');
    expect(run.stderr).toContain('(did you mean "openai"?)');
    expect(run.stderr).toContain('orkestra.yaml:6:15 log.level: found "loud"');
  });

  it("gives { success: false, error, valid: false, issues } with --json", async () => {
    const run = await runInProcess(["--json", "validate-config"], { cwd: broken.dir });
    expect(run.code).toBe(2);
    expect(parseJson(run)).toMatchObject({
      success: false,
      error: {
        name: "ConfigError",
        code: expect.stringMatching(/^config\./),
        message: expect.any(String),
      },
      valid: false,
      issues: [
        { keyPath: "models.gpt.provider", line: 3, column: 15, suggestion: "openai" },
        { keyPath: "log.level", line: 6 },
      ],
    });
  });

  it("checks the file named as its argument", async () => {
    const run = await runInProcess(["validate-config", `${broken.dir}/orkestra.yaml`], {
      cwd: good.dir,
    });
    expect(run.code).toBe(2);
    const missing = await runInProcess(["validate-config", "nope.yaml"], { cwd: good.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.yaml");
  });
});

describe("orkestra config", () => {
  it("schema prints the JSON Schema of orkestra.yaml", async () => {
    const run = await runInProcess(["config", "schema"], { cwd: good.dir });
    expect(run.code).toBe(0);
    const schema = parseJson(run) as { properties: Record<string, unknown> };
    expect(schema.properties.models).toBeDefined();
    expect(schema.properties.fallbacks).toBeDefined();
  });

  it("show prints the configuration in effect with secrets redacted", async () => {
    const password = "Hunter2Hunter2";
    const token = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD";
    const made = await workspace(`models:
  gpt:
    provider: openai
    model: gpt-5
    headers: { Authorization: "Bearer ${token}" }
`);
    const env = { ORKESTRA_STORE: `postgres://orkestra:${password}@db.example:5432/orkestra` };
    for (const args of [
      ["config", "show"],
      ["--json", "config", "show"],
    ]) {
      const run = await runInProcess(args, { cwd: made.dir, env });
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain(password);
      expect(run.stdout).not.toContain(token);
      expect(run.stdout).toContain("db.example:5432/orkestra");
      expect(run.stdout).toContain("ORKESTRA_STORE");
    }
    const json = parseJson(
      await runInProcess(["--json", "config", "show"], { cwd: made.dir, env }),
    );
    expect(json).toMatchObject({
      models: { gpt: { provider: "openai", model: "gpt-5" } },
      environmentOverrides: [{ keyPath: "store", variable: "ORKESTRA_STORE" }],
    });
  });
});

describe("a broken configuration", () => {
  const commands = [
    ["ask", "hello"],
    ["models", "list"],
    ["models", "test"],
    ["usage"],
    ["audit"],
    ["audit", "export"],
    ["config", "show"],
    ["validate-config"],
  ];

  it.each(commands)("stops %s %s with exit 2 and the key path", async (...args) => {
    const run = await runInProcess(args, { cwd: broken.dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("orkestra.yaml:3:15 models.gpt.provider");
  });

  it.each(commands)("gives one JSON document for %s %s with --json", async (...args) => {
    const run = await runInProcess(["--json", ...args], { cwd: broken.dir });
    expect(run.code).toBe(2);
    const document = parseJson(run);
    if (args[0] === "validate-config") expect(document.valid).toBe(false);
    else expect(document).toMatchObject({ success: false, error: { code: "config.invalid" } });
  });

  it("is reported for --config pointing nowhere", async () => {
    const run = await runInProcess(["--config", "missing.yaml", "models", "list"], {
      cwd: good.dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("missing.yaml");
  });
});

describe("orkestra validate-config FILE on files that used to slip through or confuse", () => {
  const check = async (text: string) => {
    const made = await workspace();
    await made.writeConfig(text);
    return runInProcess(["validate-config", "orkestra.yaml"], { cwd: made.dir });
  };

  it("refers a missing FILE to the argument, not to --config", async () => {
    const made = await workspace();
    const run = await runInProcess(["validate-config", "absent.yaml"], { cwd: made.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("validate-config's FILE argument");
    expect(run.stderr).not.toContain("--config");
  });

  it("refuses an inverted latencyMs range with its key path", async () => {
    const run = await check("models:\n  sim: { provider: simulated, latencyMs: [400, 50] }\n");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "orkestra.yaml:2:42 models.sim.latencyMs: found [400, 50], expected a [min, max] range with min ≤ max",
    );
  });

  it("refuses a model alias named __proto__ instead of dropping it", async () => {
    const run = await check(
      "models:\n  __proto__: { provider: simulated }\n  sim: { provider: simulated }\n",
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'orkestra.yaml:2:3 models.__proto__: the key "__proto__" is reserved',
    );
  });

  it("says nesting is too deep, with the limit, instead of a stack overflow", async () => {
    const run = await check(
      `models:\n  sim:\n    reply: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/orkestra\.yaml:3:\d+: nesting too deep \(limit 64 levels\)/);
    expect(run.stderr).not.toMatch(/call stack|indentation/);
  });
});
