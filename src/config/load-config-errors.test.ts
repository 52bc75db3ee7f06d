// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is this file's subject, not a mistaken template.
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OrkestraError } from "../errors/index.js";
import { ConfigError } from "./config-error.js";
import type { ConfigIssue } from "./config-issue.js";
import { loadConfig } from "./load-config.js";

const directories: string[] = [];

afterEach(async () => {
  for (const directory of directories.splice(0)) {
    await chmod(directory, 0o700).catch(() => undefined);
    await rm(directory, { recursive: true, force: true });
  }
});

async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "orkestra-config-"));
  directories.push(directory);
  return directory;
}

/** Writes `text` as orkestra.yaml in a fresh directory and loads it with only `env` set. */
async function loadFailure(text: string, env: Record<string, string> = {}): Promise<ConfigError> {
  const cwd = await temporaryDirectory();
  await writeFile(join(cwd, "orkestra.yaml"), text);
  return captureConfigError(loadConfig({ cwd, env }));
}

async function captureConfigError(loading: Promise<unknown>): Promise<ConfigError> {
  const error = await loading.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!ConfigError.isInstance(error)) {
    throw new Error(`expected a ConfigError, got ${String(error)}`);
  }
  return error;
}

function onlyIssue(error: ConfigError): ConfigIssue {
  expect(error.issues).toHaveLength(1);
  return error.issues[0]!;
}

describe("loadConfig reports broken files precisely", () => {
  it("reports an unknown provider with a suggestion and its line", async () => {
    const error = await loadFailure(
      ["models:", "  claude:", "    provider: antropic", "    model: claude-sonnet-4-5", ""].join(
        "\n",
      ),
    );
    expect(error.code).toBe("config.invalid");
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "models.claude.provider",
      path: ["models", "claude", "provider"],
      line: 3,
      column: 15,
      found: '"antropic"',
      expected: "one of openai, anthropic, google, xai, openai-compatible, simulated",
      suggestion: "anthropic",
      source: "file",
    });
    expect(error.message).toBe(
      'orkestra.yaml:3:15 models.claude.provider: found "antropic", expected one of openai, ' +
        'anthropic, google, xai, openai-compatible, simulated (did you mean "anthropic"?)',
    );
  });

  it("reports a string where a number belongs", async () => {
    const error = await loadFailure('gateway:\n  retries: "3"\n');
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "gateway.retries",
      line: 2,
      column: 12,
      found: 'a string "3"',
      expected: "a whole number",
    });
  });

  it("reports a number where a string belongs", async () => {
    const error = await loadFailure("models:\n  claude: { provider: anthropic, model: 42 }\n");
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "models.claude.model",
      line: 2,
      column: 41,
      found: "a number 42",
      expected: "a string",
    });
  });

  it("reports a list where a mapping belongs", async () => {
    const error = await loadFailure("models: [claude, gpt]\n");
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "models",
      line: 1,
      column: 9,
      found: "a list of 2 items",
      expected: "a mapping",
    });
  });

  it("reports a missing model id at the model's key, naming the provider", async () => {
    const error = await loadFailure("models:\n  claude:\n    provider: anthropic\n");
    const issue = onlyIssue(error);
    expect(issue).toMatchObject({
      keyPath: "models.claude.model",
      line: 2,
      column: 3,
      expected: "a string",
    });
    expect(issue.found).toBeUndefined();
    expect(issue.message).toBe(
      "missing required key `model` for provider anthropic, expected a string",
    );
  });

  it("reports a missing baseURL for an openai-compatible model", async () => {
    const error = await loadFailure(
      "models:\n  local: { provider: openai-compatible, model: llama3.2 }\n",
    );
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "models.local.baseURL",
      line: 2,
      column: 3,
      message:
        "missing required key `baseURL` for provider openai-compatible, expected a URL such as " +
        "https://api.example.com/v1",
    });
  });

  it("reports a model without a provider", async () => {
    const error = await loadFailure("models:\n  claude: { model: claude-sonnet-4-5 }\n");
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "models.claude.provider",
      line: 2,
      column: 3,
      message:
        "missing required key `provider`, expected one of openai, anthropic, google, xai, " +
        "openai-compatible, simulated",
    });
  });

  it("suggests `models` for a misspelt top-level key and points at the key", async () => {
    const error = await loadFailure("workspace: .\nmodles:\n  sim: { provider: simulated }\n");
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "modles",
      line: 2,
      column: 1,
      found: '"modles"',
      expected:
        "one of $schema, workspace, store, log, models, fallbacks, budget, gateway, agents, schedules",
      suggestion: "models",
    });
    expect(error.message).toBe(
      'orkestra.yaml:2:1 modles: unknown key "modles", expected one of $schema, workspace, ' +
        'store, log, models, fallbacks, budget, gateway, agents, schedules (did you mean "models"?)',
    );
  });

  it("suggests `timeoutMs` for a nested `timeoutMS`, ignoring case", async () => {
    const error = await loadFailure(
      "models:\n  gpt:\n    provider: openai\n    model: gpt-5\n    timeoutMS: 5000\n",
    );
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "models.gpt.timeoutMS",
      line: 5,
      column: 5,
      suggestion: "timeoutMs",
    });
  });

  it("explains that a key belongs to another provider", async () => {
    const error = await loadFailure(
      "models:\n  claude: { provider: anthropic, model: m, latencyMs: 50 }\n",
    );
    const issue = onlyIssue(error);
    expect(issue).toMatchObject({ keyPath: "models.claude.latencyMs", line: 2, column: 44 });
    expect(issue.message).toContain("(`latencyMs` applies only to provider simulated)");
  });

  it("reports YAML syntax errors with line and column", async () => {
    const error = await loadFailure("models:\n  sim: { provider: simulated\nlog: {}\n");
    expect(error.code).toBe("config.syntax");
    const issue = onlyIssue(error);
    expect(issue).toMatchObject({ keyPath: "", line: 3, column: 1 });
    expect(issue.message).toMatch(/flow map .* must .* end with a }/i);
    expect(error.message).toMatch(/^orkestra\.yaml:3:1: flow map/);
  });

  it("reports a duplicated key at its second occurrence", async () => {
    const error = await loadFailure("log: { level: info }\nlog: { level: debug }\n");
    expect(error.code).toBe("config.syntax");
    expect(onlyIssue(error)).toMatchObject({
      line: 2,
      column: 1,
      message: "map keys must be unique",
    });
  });

  it("reports an empty file and shows minimal content", async () => {
    const error = await loadFailure("  \n\n");
    expect(error.code).toBe("config.empty");
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "",
      line: 1,
      column: 1,
      message: "the file is empty, expected a mapping of settings such as `models:`",
    });
    expect(error.hint).toContain("sim: { provider: simulated }");
  });

  it("treats a file of comments only as empty", async () => {
    const error = await loadFailure("# models:\n#   sim: { provider: simulated }\n");
    expect(error.code).toBe("config.empty");
  });

  it("reports a top level that is a list, not a mapping", async () => {
    const error = await loadFailure("# settings\n- models\n- fallbacks\n");
    expect(error.code).toBe("config.invalid");
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "",
      line: 2,
      column: 1,
      message:
        "the top level is a list of 2 items, expected a mapping of settings such as `models:`",
    });
  });

  it("suggests the closest alias for an unknown member of a fallback chain", async () => {
    const error = await loadFailure(
      [
        "models:",
        "  gemini: { provider: google, model: gemini-2.5-pro }",
        "  gpt: { provider: openai, model: gpt-5 }",
        "fallbacks:",
        "  smart: [gpt, gemni]",
        "",
      ].join("\n"),
    );
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "fallbacks.smart[1]",
      path: ["fallbacks", "smart", 1],
      line: 5,
      column: 16,
      found: '"gemni"',
      expected: "one of gemini, gpt",
      suggestion: "gemini",
      message: 'unknown model alias "gemni", expected one of gemini, gpt (did you mean "gemini"?)',
    });
  });

  it("points at the key of an unknown alias in budget.per_model", async () => {
    const error = await loadFailure(
      "models:\n  claude: { provider: anthropic, model: m }\nbudget:\n  per_model:\n    claud: { daily_usd: 1 }\n",
    );
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "budget.per_model.claud",
      line: 5,
      column: 5,
      suggestion: "claude",
    });
  });

  it("reports a bad log level with the allowed values and a suggestion", async () => {
    const error = await loadFailure("log:\n  level: debg\n");
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "log.level",
      line: 2,
      column: 10,
      found: '"debg"',
      expected: "one of trace, debug, info, warn, error, fatal, silent",
      suggestion: "debug",
    });
  });

  it("reports a negative budget", async () => {
    const error = await loadFailure("budget: { daily_usd: -5 }\n");
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "budget.daily_usd",
      line: 1,
      column: 22,
      found: "-5",
      expected: "a number > 0",
    });
  });

  it("states the whole range when a bounded number is out of it", async () => {
    const error = await loadFailure("models:\n  sim: { provider: simulated, temperature: 3 }\n");
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "models.sim.temperature",
      found: "3",
      expected: "a number from 0 to 2",
    });
  });

  it("asks for a whole number >= 1 where zero is given for a positive count", async () => {
    const error = await loadFailure("gateway: { attemptTimeoutMs: 0 }\n");
    expect(onlyIssue(error)).toMatchObject({ found: "0", expected: "a whole number >= 1" });
  });

  it("reports a latency range of the wrong length", async () => {
    const error = await loadFailure(
      "models:\n  sim: { provider: simulated, latencyMs: [10, 20, 30] }\n",
    );
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "models.sim.latencyMs",
      line: 2,
      column: 42,
      found: "a list of 3 items",
      expected: "a list of exactly 2 items",
    });
  });

  it("reports a latency of the wrong type with every accepted shape", async () => {
    const error = await loadFailure("models:\n  sim: { provider: simulated, latencyMs: fast }\n");
    expect(onlyIssue(error)).toMatchObject({
      found: 'a string "fast"',
      expected: "a whole number or a list of exactly 2 items",
    });
  });

  it("reports a model alias that is not a valid name at its key", async () => {
    const error = await loadFailure("models:\n  2fast: { provider: simulated }\n");
    expect(onlyIssue(error)).toMatchObject({
      keyPath: 'models["2fast"]',
      line: 2,
      column: 3,
      message:
        "invalid name \"2fast\", expected a name of letters, digits, '_', '.' or '-', starting with a letter",
    });
  });

  it("reports every issue of a file at once, in file order", async () => {
    const error = await loadFailure(
      [
        "modles: {}",
        "models:",
        "  claude: { provider: antropic, model: claude-sonnet-4-5 }",
        "  sim: { provider: simulated }",
        "fallbacks:",
        "  smart: [sim, simm]",
        'gateway: { retries: "3" }',
        "budget: { daily_usd: -1 }",
        "",
      ].join("\n"),
    );
    expect(error.issues.map((issue) => [issue.keyPath, issue.line])).toEqual([
      ["modles", 1],
      ["models.claude.provider", 3],
      ["fallbacks.smart[1]", 6],
      ["gateway.retries", 7],
      ["budget.daily_usd", 8],
    ]);
    expect(error.message.split("\n")).toHaveLength(5);
  });

  it("reports an unset ${VAR} at its key with the two ways to fix it", async () => {
    const error = await loadFailure(
      "models:\n  grok:\n    provider: xai\n    model: ${GROK_MODEL}\n",
    );
    expect(error.code).toBe("config.env");
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "models.grok.model",
      line: 4,
      column: 12,
      envVar: "GROK_MODEL",
      source: "file",
      message: "environment variable GROK_MODEL is not set; set it or write ${GROK_MODEL:-value}",
    });
  });

  it("tells to quote a ${VAR} that breaks a { } mapping", async () => {
    const error = await loadFailure("models:\n  grok: { provider: xai, model: ${GROK_MODEL} }\n");
    expect(error.code).toBe("config.syntax");
    expect(onlyIssue(error)).toMatchObject({ line: 2, column: 34 });
    expect(error.message).toContain('quote a value that contains ${…}: "${NAME}"');
  });

  it("reports an alias to an anchor that does not exist", async () => {
    const error = await loadFailure("models:\n  sim: *simulated\n");
    expect(onlyIssue(error)).toMatchObject({
      line: 2,
      column: 8,
      message: "unknown alias *simulated: define &simulated first",
    });
  });

  it("reports a malformed ${…} reference", async () => {
    const error = await loadFailure("workspace: ${work dir}\n");
    expect(onlyIssue(error)).toMatchObject({
      keyPath: "workspace",
      found: '"${work dir}"',
      expected: "${NAME} or ${NAME:-default} (write $${ for a literal ${)",
    });
  });

  it("explains that interpolated values are strings when a number is expected", async () => {
    const error = await loadFailure('gateway: { retries: "${RETRIES}" }\n', { RETRIES: "2" });
    expect(onlyIssue(error).message).toBe(
      "found a string from ${RETRIES} (not shown), expected a whole number (values from ${…} are always strings)",
    );
  });
});

describe("loadConfig blames the environment for bad overrides", () => {
  it("names LOG_LEVEL, not a file key, for an invalid log level", async () => {
    const cwd = await temporaryDirectory();
    const error = await captureConfigError(loadConfig({ cwd, env: { LOG_LEVEL: "verbose" } }));
    expect(error.code).toBe("config.env");
    expect(error.file).toBeUndefined();
    const issue = onlyIssue(error);
    expect(issue).toMatchObject({
      keyPath: "log.level",
      envVar: "LOG_LEVEL",
      source: "environment",
      found: '"verbose"',
    });
    expect(issue.line).toBeUndefined();
    expect(error.message).toBe(
      'environment variable LOG_LEVEL (log.level): found "verbose", expected one of trace, ' +
        "debug, info, warn, error, fatal, silent",
    );
  });

  it("names ORKESTRA_STORE for a store URL of an unknown kind", async () => {
    const error = await loadFailure("log: { level: info }\n", { ORKESTRA_STORE: "mysql://db" });
    expect(onlyIssue(error)).toMatchObject({
      envVar: "ORKESTRA_STORE",
      source: "environment",
      expected: "sqlite:<path> or postgres://user@host/database",
    });
  });
});

describe("loadConfig reports files it cannot use", () => {
  it("reports a --config path that does not exist and what to do", async () => {
    const cwd = await temporaryDirectory();
    const error = await captureConfigError(
      loadConfig({ cwd, configPath: "missing.yaml", env: {} }),
    );
    expect(error.code).toBe("config.not_found");
    expect(error.file).toBe(join(cwd, "missing.yaml"));
    expect(error.message).toBe("missing.yaml: the configuration file does not exist");
    expect(error.hint).toContain("--config");
  });

  it("suggests a similarly named file next to a missing --config path", async () => {
    const cwd = await temporaryDirectory();
    await writeFile(join(cwd, "orkestra.yaml"), "log: { level: info }\n");
    const error = await captureConfigError(
      loadConfig({ cwd, configPath: "orkestra.yml", env: {} }),
    );
    expect(onlyIssue(error).suggestion).toBe("orkestra.yaml");
  });

  it("reports a directory given instead of a file, pointing at the file inside", async () => {
    const cwd = await temporaryDirectory();
    await mkdir(join(cwd, "settings"));
    await writeFile(join(cwd, "settings", "orkestra.yaml"), "log: { level: info }\n");
    const error = await captureConfigError(loadConfig({ cwd, configPath: "settings", env: {} }));
    expect(error.code).toBe("config.unreadable");
    expect(error.message).toBe(
      'settings: this is a directory, not a configuration file (did you mean "settings/orkestra.yaml"?)',
    );
  });

  it("reports a file it has no permission to read", async () => {
    const cwd = await temporaryDirectory();
    await chmod(cwd, 0o755);
    const file = join(cwd, "orkestra.yaml");
    await writeFile(file, "log: { level: info }\n");
    await chmod(file, 0o000);
    // Root reads a mode-000 file anyway. Drop to `nobody` as the effective user for this one
    // load (seteuid applies to libuv's threads too), so the kernel really refuses the read.
    const runAsRoot = process.geteuid?.() === 0 && process.seteuid !== undefined;
    if (runAsRoot) process.seteuid!(65534);
    let error: ConfigError;
    try {
      error = await captureConfigError(loadConfig({ cwd, env: {} }));
    } finally {
      if (runAsRoot) process.seteuid!(0);
    }
    expect(error.code).toBe("config.unreadable");
    expect(error.message).toBe("orkestra.yaml: permission denied: the file cannot be read");
    expect(error.hint).toContain("chmod u+r orkestra.yaml");
    expect((error.cause as NodeJS.ErrnoException).code).toBe("EACCES");
  });

  it("reports a symlink loop, which no user can read", async () => {
    const cwd = await temporaryDirectory();
    await symlink("orkestra.yaml", join(cwd, "orkestra.yaml"));
    const error = await captureConfigError(loadConfig({ cwd, env: {} }));
    expect(error.code).toBe("config.unreadable");
    expect(error.message).toBe("orkestra.yaml: too many levels of symbolic links (a symlink loop)");
  });
});

describe("ConfigError", () => {
  it("is recognised by its own marker and as an OrkestraError", async () => {
    const error = await loadFailure("log: { level: nope }\n");
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(OrkestraError.isInstance(error)).toBe(true);
    expect(ConfigError.isInstance(new OrkestraError("x", { code: "x" }))).toBe(false);
    expect(error.name).toBe("ConfigError");
  });

  it("serialises its file and issues", async () => {
    const error = await loadFailure("log: { level: nope }\n");
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(json).toMatchObject({ name: "ConfigError", code: "config.invalid" });
    expect(json.file).toMatch(/orkestra\.yaml$/);
    expect(json.issues).toEqual([expect.objectContaining({ keyPath: "log.level", line: 1 })]);
  });
});
