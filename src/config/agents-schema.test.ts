import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import type { ConfigIssue } from "./config-issue.js";
import { configJsonSchema } from "./config-json-schema.js";
import { type LoadedConfig, loadConfig } from "./load-config.js";

const directories: string[] = [];

afterEach(async () => {
  for (const directory of directories.splice(0)) {
    await rm(directory, { recursive: true, force: true });
  }
});

const MODELS = [
  "models:",
  "  claude: { provider: anthropic, model: claude-sonnet-4-5 }",
  "  gpt: { provider: openai, model: gpt-5 }",
  "fallbacks:",
  "  smart: [claude, gpt]",
];

async function load(lines: readonly string[]): Promise<LoadedConfig> {
  const cwd = await mkdtemp(join(tmpdir(), "orkestra-agents-"));
  directories.push(cwd);
  await writeFile(join(cwd, "orkestra.yaml"), [...lines, ""].join("\n"));
  return loadConfig({ cwd, env: {} });
}

async function onlyIssue(lines: readonly string[]): Promise<ConfigIssue> {
  const error = await load(lines).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!ConfigError.isInstance(error)) throw new Error(`expected a ConfigError, got ${error}`);
  expect(error.code).toBe("config.invalid");
  expect(error.issues).toHaveLength(1);
  return error.issues[0] as ConfigIssue;
}

describe("agents: in orkestra.yaml", () => {
  it("accepts the agents of the issue and fills in the defaults", async () => {
    const { config } = await load([
      ...MODELS,
      "agents:",
      '  architect: { model: claude, role: "plans and reviews designs", capabilities: [design, review], specialties: [typescript], weight: 2, maxConcurrent: 2 }',
      "  coder:     { model: smart,  capabilities: [code, tests], maxConcurrent: 4 }",
    ]);
    expect(config.agents).toEqual({
      architect: {
        model: "claude",
        role: "plans and reviews designs",
        capabilities: ["design", "review"],
        specialties: ["typescript"],
        weight: 2,
        maxConcurrent: 2,
      },
      coder: {
        model: "smart",
        capabilities: ["code", "tests"],
        specialties: [],
        weight: 1,
        maxConcurrent: 4,
      },
    });
  });

  it("defaults to no agents", async () => {
    const { config } = await load(MODELS);
    expect(config.agents).toEqual({});
  });

  it("lets an agent use the built-in sim model when no models are configured", async () => {
    const { config } = await load(["agents:", "  helper: { model: sim }"]);
    expect(config.agents.helper?.model).toBe("sim");
  });

  it("reports an unknown model with its line, the known names and a suggestion", async () => {
    const lines = [...MODELS, "agents:", "  coder: { model: claud }"];
    const issue = await onlyIssue(lines);
    expect(issue).toMatchObject({
      keyPath: "agents.coder.model",
      path: ["agents", "coder", "model"],
      line: 7,
      column: 19,
      found: '"claud"',
      expected: "one of claude, gpt, smart",
      suggestion: "claude",
    });
    expect(issue.message).toBe(
      'unknown model alias or fallback chain "claud", expected one of claude, gpt, smart ' +
        '(did you mean "claude"?)',
    );
  });

  it("suggests a fallback chain as readily as an alias", async () => {
    const issue = await onlyIssue([...MODELS, "agents:", "  coder: { model: smrt }"]);
    expect(issue).toMatchObject({ keyPath: "agents.coder.model", suggestion: "smart" });
  });

  it("reports a weight that is not positive", async () => {
    const issue = await onlyIssue([...MODELS, "agents:", "  coder: { model: gpt, weight: 0 }"]);
    expect(issue).toMatchObject({
      keyPath: "agents.coder.weight",
      line: 7,
      column: 32,
      found: "0",
      expected: "a number > 0",
    });
  });

  it("reports a maxConcurrent below one or not whole", async () => {
    const zero = await onlyIssue([
      ...MODELS,
      "agents:",
      "  coder: { model: gpt, maxConcurrent: 0 }",
    ]);
    expect(zero).toMatchObject({
      keyPath: "agents.coder.maxConcurrent",
      expected: "a whole number >= 1",
    });
    const fraction = await onlyIssue([
      ...MODELS,
      "agents:",
      "  coder: { model: gpt, maxConcurrent: 1.5 }",
    ]);
    expect(fraction).toMatchObject({ keyPath: "agents.coder.maxConcurrent", line: 7 });
  });

  it("rejects an unknown key in an agent, pointing at it with a suggestion", async () => {
    const issue = await onlyIssue([
      ...MODELS,
      "agents:",
      "  coder:",
      "    model: gpt",
      "    maxConcurent: 2",
    ]);
    expect(issue).toMatchObject({
      keyPath: "agents.coder.maxConcurent",
      line: 9,
      column: 5,
      suggestion: "maxConcurrent",
    });
    expect(issue.message).toContain('unknown key "maxConcurent"');
  });

  it("requires a model", async () => {
    const issue = await onlyIssue([...MODELS, "agents:", "  coder: { capabilities: [code] }"]);
    expect(issue).toMatchObject({ keyPath: "agents.coder.model", line: 7, column: 3 });
    expect(issue.message).toContain("missing required key `model`");
  });

  it("rejects a capability that is not one word, naming the entry", async () => {
    const issue = await onlyIssue([
      ...MODELS,
      "agents:",
      '  coder: { model: gpt, capabilities: [code, "write tests"] }',
    ]);
    expect(issue).toMatchObject({
      keyPath: "agents.coder.capabilities[1]",
      found: '"write tests"',
    });
    expect(issue.expected).toContain("a word of up to 100 letters");
  });

  it("reports a bad agent name at its key", async () => {
    const issue = await onlyIssue([...MODELS, "agents:", "  2coder: { model: gpt }"]);
    expect(issue).toMatchObject({ line: 7, column: 3 });
  });

  it("reports a misspelt model and a bad weight of two agents together", async () => {
    const error = await load([
      ...MODELS,
      "agents:",
      "  coder: { model: gtp }",
      "  tester: { model: gpt, weight: -1 }",
    ]).catch((thrown: unknown) => thrown);
    if (!ConfigError.isInstance(error)) throw new Error("expected a ConfigError");
    expect(error.issues.map((issue) => issue.keyPath)).toEqual([
      "agents.coder.model",
      "agents.tester.weight",
    ]);
  });
});

describe("agents: in the JSON Schema", () => {
  const schema = configJsonSchema() as {
    properties: { agents: { additionalProperties: Record<string, unknown> } };
  };

  it("describes an agent as a strict object with its bounds", () => {
    const agent = schema.properties.agents.additionalProperties;
    expect(agent).toMatchObject({
      type: "object",
      additionalProperties: false,
      required: ["model"],
      properties: {
        weight: { type: "number", exclusiveMinimum: 0, default: 1 },
        maxConcurrent: { type: "integer", minimum: 1, default: 1 },
        capabilities: { type: "array", default: [] },
      },
    });
  });
});
