// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is this file's subject, not a mistaken template.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BUILTIN_SIMULATED_ALIAS } from "./builtin-models.js";
import { loadConfig } from "./load-config.js";
import { validateConfigFile } from "./validate-config-file.js";

const directories: string[] = [];

afterEach(async () => {
  for (const directory of directories.splice(0)) {
    await rm(directory, { recursive: true, force: true });
  }
});

async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "orkestra-config-"));
  directories.push(directory);
  return directory;
}

async function directoryWith(files: Record<string, string>): Promise<string> {
  const cwd = await temporaryDirectory();
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(cwd, name, ".."), { recursive: true });
    await writeFile(join(cwd, name), text);
  }
  return cwd;
}

const GATEWAY_EXAMPLE = `models:
  claude: { provider: anthropic, model: claude-sonnet-4-5 }
  gpt:    { provider: openai, model: gpt-5 }
  gemini: { provider: google, model: gemini-2.5-pro }
  grok:   { provider: xai, model: "\${GROK_MODEL:-grok-4}" }
  copilot: { provider: openai-compatible, baseURL: "https://models.github.ai/inference", model: openai/gpt-4.1, apiKeyEnv: GITHUB_TOKEN }
  local:  { provider: openai-compatible, baseURL: "http://127.0.0.1:11434/v1", model: llama3.2 }
  sim:    { provider: simulated, latencyMs: [50, 400], failures: { rate_limit: 0.05, server: 0.02 }, seed: 7 }
fallbacks:
  smart: [grok, gemini, gpt]
budget: { daily_usd: 5, monthly_usd: 50, per_model: { claude: { daily_usd: 2 } } }
`;

describe("loadConfig", () => {
  it("loads the gateway example with every provider", async () => {
    const cwd = await directoryWith({ "orkestra.yaml": GATEWAY_EXAMPLE });
    const loaded = await loadConfig({ cwd, env: {} });
    expect(loaded.file).toBe(join(cwd, "orkestra.yaml"));
    expect(loaded.builtinSimulated).toBe(false);
    expect(Object.keys(loaded.config.models)).toEqual([
      "claude",
      "gpt",
      "gemini",
      "grok",
      "copilot",
      "local",
      "sim",
    ]);
    expect(loaded.config.models.grok).toMatchObject({ provider: "xai", model: "grok-4" });
    expect(loaded.config.models.copilot).toMatchObject({
      baseURL: "https://models.github.ai/inference",
      apiKeyEnv: "GITHUB_TOKEN",
    });
    expect(loaded.config.models.sim).toMatchObject({
      provider: "simulated",
      model: "simulated",
      latencyMs: [50, 400],
      failures: { rate_limit: 0.05, server: 0.02 },
      seed: 7,
    });
    expect(loaded.config.fallbacks).toEqual({ smart: ["grok", "gemini", "gpt"] });
    expect(loaded.config.budget).toEqual({
      daily_usd: 5,
      monthly_usd: 50,
      per_model: { claude: { daily_usd: 2 } },
    });
    expect(loaded.config.gateway.retries).toBe(3);
    expect(loaded.config.log.level).toBe("info");
  });

  it("records as secrets the values variables gave, header values and API keys, not defaults", async () => {
    const cwd = await directoryWith({ "orkestra.yaml": GATEWAY_EXAMPLE });
    const loaded = await loadConfig({
      cwd,
      env: {
        GROK_MODEL: "grok-4-fast",
        OPENAI_API_KEY: "sk-test-openai",
        GITHUB_TOKEN: "gh-token",
      },
    });
    expect([...loaded.secrets].sort()).toEqual(["gh-token", "grok-4-fast", "sk-test-openai"]);
    expect([...loaded.secretPaths]).toEqual(["models.grok.model"]);
    const defaults = await loadConfig({ cwd, env: {} });
    expect(defaults.secrets).toEqual([]);
    expect(defaults.secretPaths.size).toBe(0);
  });

  it("takes the value of a set variable over the default", async () => {
    const cwd = await directoryWith({ "orkestra.yaml": GATEWAY_EXAMPLE });
    const loaded = await loadConfig({ cwd, env: { GROK_MODEL: "grok-4-fast" } });
    expect(loaded.config.models.grok).toMatchObject({ model: "grok-4-fast" });
  });

  it("interpolates inside longer strings, uses the default for an empty variable and keeps $${ literal", async () => {
    const cwd = await directoryWith({
      "orkestra.yaml": [
        "models:",
        "  local:",
        "    provider: openai-compatible",
        "    baseURL: http://${LLM_HOST:-127.0.0.1}:${LLM_PORT:-11434}/v1",
        "    model: ${LOCAL_MODEL:-llama3.2}",
        "    headers:",
        "      X-Template: $${not_a_variable}",
        "      X-Tenant: ${TENANT}",
        "",
      ].join("\n"),
    });
    const loaded = await loadConfig({
      cwd,
      env: { LLM_PORT: "8080", LOCAL_MODEL: "", TENANT: "" },
    });
    expect(loaded.config.models.local).toMatchObject({
      baseURL: "http://127.0.0.1:8080/v1",
      model: "llama3.2",
      headers: { "X-Template": "${not_a_variable}", "X-Tenant": "" },
    });
  });

  it("never lets a variable's value inject YAML structure", async () => {
    const cwd = await directoryWith({
      "orkestra.yaml": "models:\n  sim:\n    provider: simulated\n    reply: ${REPLY}\n",
    });
    const reply = "ok\nmodels: { evil: { provider: openai, model: x } }";
    const loaded = await loadConfig({ cwd, env: { REPLY: reply } });
    expect(loaded.config.models.sim).toMatchObject({ reply });
    expect(Object.keys(loaded.config.models)).toEqual(["sim"]);
  });

  it("runs on defaults with a built-in simulated model when there is no file", async () => {
    const cwd = await temporaryDirectory();
    const loaded = await loadConfig({ cwd, env: {} });
    expect(loaded.file).toBeUndefined();
    expect(loaded.builtinSimulated).toBe(true);
    expect(loaded.config.models).toEqual({
      [BUILTIN_SIMULATED_ALIAS]: {
        provider: "simulated",
        model: "simulated",
        latencyMs: [50, 400],
        failures: {},
        seed: 1,
      },
    });
    expect(loaded.workspaceDir).toBe(cwd);
    expect(loaded.storeUrl).toBe(`sqlite:${join(cwd, ".orkestra", "orkestra.db")}`);
    expect(loaded.config.store).toBe(loaded.storeUrl);
    expect(loaded.config.workspace).toBe(cwd);
  });

  it("configures the providers whose standard key is set when the file names no models", async () => {
    const cwd = await temporaryDirectory();
    const loaded = await loadConfig({
      cwd,
      env: { ANTHROPIC_API_KEY: "present", XAI_API_KEY: "present", OPENAI_API_KEY: "" },
    });
    expect(loaded.builtinSimulated).toBe(false);
    expect(loaded.detectedModels).toEqual(["claude", "grok"]);
    expect(loaded.config.models).toEqual({
      claude: expect.objectContaining({ provider: "anthropic", model: "claude-sonnet-4-5" }),
      grok: expect.objectContaining({ provider: "xai", model: "grok-4" }),
    });
  });

  it("leaves configured models alone even when keys of other providers are set", async () => {
    const cwd = await directoryWith({
      "orkestra.yaml": "models:\n  local: { provider: simulated }\n",
    });
    const loaded = await loadConfig({ cwd, env: { ANTHROPIC_API_KEY: "present" } });
    expect(Object.keys(loaded.config.models)).toEqual(["local"]);
    expect(loaded.detectedModels).toEqual([]);
  });

  it("adds the built-in sim model before validation, so fallbacks may name it", async () => {
    const cwd = await directoryWith({
      "orkestra.yaml":
        "models: {}\nfallbacks:\n  demo: [sim]\nbudget: { per_model: { sim: { daily_usd: 1 } } }\n",
    });
    const loaded = await loadConfig({ cwd, env: {} });
    expect(loaded.builtinSimulated).toBe(true);
    expect(loaded.config.fallbacks).toEqual({ demo: ["sim"] });
  });

  it("treats `models:` with nothing after it like no models", async () => {
    const cwd = await directoryWith({ "orkestra.yaml": "models:\nlog: { level: warn }\n" });
    const loaded = await loadConfig({ cwd, env: {} });
    expect(loaded.builtinSimulated).toBe(true);
    expect(loaded.config.log.level).toBe("warn");
  });

  it("accepts orkestra.yml and prefers orkestra.yaml when both exist", async () => {
    const ymlOnly = await directoryWith({ "orkestra.yml": "log: { level: debug }\n" });
    expect((await loadConfig({ cwd: ymlOnly, env: {} })).config.log.level).toBe("debug");
    const both = await directoryWith({
      "orkestra.yml": "log: { level: debug }\n",
      "orkestra.yaml": "log: { level: error }\n",
    });
    const loaded = await loadConfig({ cwd: both, env: {} });
    expect(loaded.file).toBe(join(both, "orkestra.yaml"));
    expect(loaded.config.log.level).toBe("error");
  });

  it("lets ORKESTRA_STORE, LOG_LEVEL and WORKSPACE_DIR override the file", async () => {
    const cwd = await directoryWith({
      "orkestra.yaml": "workspace: from-file\nstore: sqlite:file.db\nlog: { level: info }\n",
    });
    const loaded = await loadConfig({
      cwd,
      env: {
        ORKESTRA_STORE: "postgres://orkestra@127.0.0.1:5432/orkestra",
        LOG_LEVEL: "DEBUG",
        WORKSPACE_DIR: "from-env",
      },
    });
    expect(loaded.config.log.level).toBe("debug");
    expect(loaded.workspaceDir).toBe(join(cwd, "from-env"));
    expect(loaded.environmentOverrides).toEqual([
      { keyPath: "store", variable: "ORKESTRA_STORE" },
      { keyPath: "log.level", variable: "LOG_LEVEL" },
      { keyPath: "workspace", variable: "WORKSPACE_DIR" },
    ]);
    expect(loaded.storeUrl).toBe("postgres://orkestra@127.0.0.1:5432/orkestra");
  });

  it("ignores empty override variables", async () => {
    const cwd = await directoryWith({ "orkestra.yaml": "log: { level: warn }\n" });
    const loaded = await loadConfig({ cwd, env: { LOG_LEVEL: "", WORKSPACE_DIR: " " } });
    expect(loaded.config.log.level).toBe("warn");
    expect(loaded.workspaceDir).toBe(cwd);
  });

  it("resolves the file's workspace against the file's directory, WORKSPACE_DIR against cwd", async () => {
    const cwd = await directoryWith({ "deploy/orkestra.yaml": "workspace: ../data\n" });
    const fromFile = await loadConfig({ cwd, configPath: "deploy/orkestra.yaml", env: {} });
    expect(fromFile.file).toBe(join(cwd, "deploy", "orkestra.yaml"));
    expect(fromFile.workspaceDir).toBe(join(cwd, "data"));
    expect(fromFile.storeUrl).toBe(`sqlite:${join(cwd, "data", ".orkestra", "orkestra.db")}`);

    const fromEnvironment = await loadConfig({
      cwd,
      configPath: "deploy/orkestra.yaml",
      env: { WORKSPACE_DIR: "work" },
    });
    expect(fromEnvironment.workspaceDir).toBe(join(cwd, "work"));
  });

  it("resolves a relative sqlite store against the workspace and leaves others untouched", async () => {
    const relative = await directoryWith({
      "orkestra.yaml": "workspace: ws\nstore: sqlite:db/main.db\n",
    });
    expect((await loadConfig({ cwd: relative, env: {} })).storeUrl).toBe(
      `sqlite:${join(relative, "ws", "db", "main.db")}`,
    );
    const absolute = await directoryWith({
      "orkestra.yaml": "store: sqlite:/var/lib/orkestra.db\n",
    });
    expect((await loadConfig({ cwd: absolute, env: {} })).storeUrl).toBe(
      "sqlite:/var/lib/orkestra.db",
    );
    const memory = await directoryWith({ "orkestra.yaml": 'store: "sqlite::memory:"\n' });
    expect((await loadConfig({ cwd: memory, env: {} })).storeUrl).toBe("sqlite::memory:");
    const postgres = await directoryWith({
      "orkestra.yaml": "store: postgresql://user:secret@db.internal/orkestra?sslmode=require\n",
    });
    expect((await loadConfig({ cwd: postgres, env: {} })).storeUrl).toBe(
      "postgresql://user:secret@db.internal/orkestra?sslmode=require",
    );
  });

  it("resolves a relative ORKESTRA_STORE sqlite path against the workspace", async () => {
    const cwd = await temporaryDirectory();
    const loaded = await loadConfig({ cwd, env: { ORKESTRA_STORE: "sqlite:state.db" } });
    expect(loaded.storeUrl).toBe(`sqlite:${join(cwd, "state.db")}`);
  });

  it("shares settings between models with YAML merge keys", async () => {
    const cwd = await directoryWith({
      "orkestra.yaml": [
        "models:",
        "  fast: &hosted { provider: openai, model: gpt-5-mini, timeoutMs: 10000 }",
        "  smart:",
        "    <<: *hosted",
        "    model: gpt-5",
        "",
      ].join("\n"),
    });
    const loaded = await loadConfig({ cwd, env: {} });
    expect(loaded.config.models.smart).toMatchObject({
      provider: "openai",
      model: "gpt-5",
      timeoutMs: 10_000,
    });
  });
});

describe("validateConfigFile", () => {
  it("returns the loaded configuration for a valid file", async () => {
    const cwd = await directoryWith({ "orkestra.yaml": GATEWAY_EXAMPLE });
    const result = await validateConfigFile(join(cwd, "orkestra.yaml"), { env: {} });
    expect(result.valid).toBe(true);
    expect(result.issues).toEqual([]);
  });

  it("returns every issue of an invalid file instead of throwing", async () => {
    const cwd = await directoryWith({ "orkestra.yaml": "modles: {}\nlog: { level: loud }\n" });
    const result = await validateConfigFile("orkestra.yaml", { cwd, env: {} });
    expect(result.valid).toBe(false);
    expect(result.issues.map((issue) => issue.keyPath)).toEqual(["modles", "log.level"]);
    if (!result.valid) expect(result.error.code).toBe("config.invalid");
  });
});
