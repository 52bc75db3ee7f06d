import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeProviderServer, startFakeProviderServer } from "../../src/testing/index.js";
import { type CliRun, fakeModel, makeWorkspace, runCli, type Workspace } from "./cli-harness.js";

/**
 * What a start loads (issue 7): the real bin/orkestra.js in a child process, every module it
 * loads recorded by a preloaded hook (record-loaded-modules.mjs). The CLI runs the bundle
 * (scripts/bundle.mjs), so each file of dist/bundle/ it loads stands for the modules that
 * bundle/modules.json lists in it.
 */
const recorder = pathToFileURL(new URL("record-loaded-modules.mjs", import.meta.url).pathname);
const bundleDirectory = new URL("../../dist/bundle/", import.meta.url);

let logs: string;
/** dist/bundle file → the modules in it: `cli/main.js` (of dist/), `node_modules/kysely/…`. */
let bundled: Record<string, string[]>;

beforeAll(async () => {
  logs = await mkdtemp(join(tmpdir(), "orkestra-modules-"));
  bundled = JSON.parse(readFileSync(new URL("modules.json", bundleDirectory), "utf8"));
});

/** The module paths a loaded URL stands for: a bundle file's modules, else the URL itself. */
function modulesAt(url: string): string[] {
  if (!url.startsWith(bundleDirectory.href)) return [url];
  const inside = bundled[url.slice(bundleDirectory.href.length)];
  if (!inside) throw new Error(`${url} is not in dist/bundle/modules.json`);
  return inside.map((path) => (path.startsWith("node_modules/") ? `/${path}` : `/dist/${path}`));
}
afterAll(async () => {
  await rm(logs, { recursive: true, force: true });
});

interface LoadedModules {
  run: CliRun;
  /** Packages under node_modules, by name (`@ai-sdk/anthropic`, `kysely`). */
  packages: string[];
  /** Orkestra's own modules, relative to dist/ (`cli/main.js`). */
  own: string[];
}

let runs = 0;

async function loadedBy(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<LoadedModules> {
  runs += 1;
  const log = join(logs, `run-${runs}.txt`);
  const run = await runCli(args, {
    cwd: options.cwd,
    env: {
      ...options.env,
      NODE_OPTIONS: `--import=${recorder.href}`,
      ORKESTRA_TEST_MODULE_LOG: log,
    },
  });
  const urls = (await readFile(log, "utf8")).split("\n").filter(Boolean).flatMap(modulesAt);
  const packages = new Set<string>();
  const own: string[] = [];
  for (const url of urls) {
    const inPackage = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (inPackage?.[1]) packages.add(inPackage[1]);
    else if (url.includes("/dist/")) own.push(url.slice(url.lastIndexOf("/dist/") + 6));
  }
  return { run, packages: [...packages].sort(), own };
}

const PROVIDER_PACKAGES = [
  "@ai-sdk/anthropic",
  "@ai-sdk/google",
  "@ai-sdk/openai",
  "@ai-sdk/openai-compatible",
  "@ai-sdk/xai",
  "@ai-sdk/provider-utils",
  "ai",
];

describe("the compile cache", () => {
  async function cacheDirectory(env: Record<string, string>): Promise<string> {
    const log = join(logs, "compile-cache.txt");
    const run = await runCli(["--version"], {
      cwd: logs,
      env: {
        ...env,
        NODE_OPTIONS: `--import=${recorder.href}`,
        ORKESTRA_TEST_COMPILE_CACHE_LOG: log,
      },
    });
    expect(run.code).toBe(0);
    return readFile(log, "utf8");
  }

  it("is on for every start, in Node's default directory", async () => {
    const directory = await cacheDirectory({});
    expect(directory).toMatch(/node-compile-cache/);
    expect(existsSync(directory)).toBe(true);
  });

  it("is off with NODE_DISABLE_COMPILE_CACHE=1", async () => {
    expect(await cacheDirectory({ NODE_DISABLE_COMPILE_CACHE: "1" })).toBe("");
  });
});

describe("a start loads only what the command uses", () => {
  it.each(["--version", "--help", "ask --help", "task add --help", "health-check --help"])(
    "orkestra %s loads commander and the command definitions, nothing else",
    async (command) => {
      const loaded = await loadedBy(command.split(" "), { cwd: logs });
      expect(loaded.run.code).toBe(0);
      expect(loaded.packages).toEqual(["commander"]);
      // No layer below the CLI but errors and the redaction the error report needs.
      const layers = new Set(loaded.own.map((path) => path.split("/")[0]));
      expect([...layers].sort()).toEqual(["cli", "errors", "observability"]);
      expect(loaded.own.filter((path) => path.startsWith("observability/")).sort()).toEqual([
        "observability/redact-value.js",
        "observability/redact.js",
        "observability/secret-patterns.js",
      ]);
      // The definitions only: no command's action module.
      expect(loaded.own.filter((path) => /-actions?\.js$/.test(path))).toEqual([]);
    },
  );

  describe("ask on a simulated model", () => {
    let workspace: Workspace;
    beforeAll(async () => {
      workspace = await makeWorkspace({
        models: { sim: { provider: "simulated", latencyMs: [0, 0] } },
      });
    });
    afterAll(async () => {
      await workspace.remove();
    });

    it("loads no AI SDK provider package, and no pino-pretty when no log line is written", async () => {
      const loaded = await loadedBy(["ask", "-m", "sim", "hello"], { cwd: workspace.dir });
      expect(loaded.run.code).toBe(0);
      expect(loaded.run.stderr).toBe("");
      for (const name of [...PROVIDER_PACKAGES, "pino-pretty"]) {
        expect(loaded.packages).not.toContain(name);
      }
      // What it does need: the store, the configuration and the logger.
      expect(loaded.packages).toEqual(expect.arrayContaining(["kysely", "yaml", "zod", "pino"]));
    });

    it.each(["models list", "config schema", "validate-config"])(
      "%s opens no store and makes no logger: no Kysely, SQLite driver, pino or provider",
      async (command) => {
        const loaded = await loadedBy(command.split(" "), { cwd: workspace.dir });
        expect(loaded.run.code, loaded.run.stderr).toBe(0);
        for (const name of ["kysely", "better-sqlite3", "pino", "@ai-sdk/provider"]) {
          expect(loaded.packages).not.toContain(name);
        }
      },
    );

    it("usage reads the ledger without loading the gateway", async () => {
      const loaded = await loadedBy(["usage"], { cwd: workspace.dir });
      expect(loaded.run.code, loaded.run.stderr).toBe(0);
      expect(loaded.packages).toContain("kysely");
      expect(loaded.packages).not.toContain("@ai-sdk/provider");
      expect(loaded.own).not.toContain("models/gateway.js");
    });

    // status and health-check read agents' health through src/queue/agents, whose ledger
    // queries import models' index (and so the gateway's modules, not a provider's package).
    it.each([
      ["task list", false],
      ["workers", false],
      ["status", true],
      ["health-check", true],
    ] as const)(
      "%s reads the store without loading a provider package",
      async (command, readsAgentHealth) => {
        const loaded = await loadedBy(command.split(" "), { cwd: workspace.dir });
        expect(loaded.run.code, loaded.run.stderr).toBe(0);
        expect(loaded.packages).toContain("kysely");
        for (const name of PROVIDER_PACKAGES) expect(loaded.packages).not.toContain(name);
        if (!readsAgentHealth) {
          expect(loaded.packages).not.toContain("@ai-sdk/provider");
          expect(loaded.own).not.toContain("models/gateway.js");
        }
        // The command's own action module, no other command's.
        const actions = loaded.own.filter((path) => /-actions?\.js$/.test(path));
        expect(actions.every((path) => path.startsWith(`cli/${command.split(" ")[0]}`))).toBe(true);
      },
    );

    it("loads pino-pretty once a pretty log line is written", async () => {
      const loaded = await loadedBy(["ask", "-m", "sim", "hello"], {
        cwd: workspace.dir,
        env: { LOG_LEVEL: "debug" },
      });
      expect(loaded.run.code).toBe(0);
      expect(loaded.run.stderr).toMatch(/DEBUG.*\[sim\]/);
      expect(loaded.packages).toContain("pino-pretty");
      for (const name of PROVIDER_PACKAGES) expect(loaded.packages).not.toContain(name);
    });
  });

  describe("a call to a real provider", () => {
    let server: FakeProviderServer;
    let workspace: Workspace;
    beforeAll(async () => {
      server = await startFakeProviderServer();
      workspace = await makeWorkspace({ models: { claude: fakeModel(server, "anthropic") } });
    });
    afterAll(async () => {
      await workspace.remove();
      await server.close();
    });

    it("loads that provider's package and no other", async () => {
      const loaded = await loadedBy(["--json", "ask", "-m", "claude", "hello"], {
        cwd: workspace.dir,
      });
      expect(loaded.run.code, loaded.run.stderr).toBe(0);
      expect(loaded.packages).toContain("@ai-sdk/anthropic");
      for (const name of ["@ai-sdk/google", "@ai-sdk/openai", "@ai-sdk/xai", "ai"]) {
        expect(loaded.packages).not.toContain(name);
      }
    });
  });
});
