import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type Behaviour,
  type FakeProviderServer,
  startFakeProviderServer,
} from "../../src/testing/index.js";
import {
  fakeModel,
  logLines,
  makeWorkspace,
  parseJson,
  repositoryRoot,
  runCli,
  spawnCli,
  type Workspace,
  waitFor,
} from "./cli-harness.js";

/**
 * The real `bin/orkestra.js` in a child process: exit codes, stdin, signals, what reaches the
 * terminal and the disk. Everything a subprocess proves nothing extra for is in the in-process
 * test files.
 */

const version = (
  JSON.parse(readFileSync(join(repositoryRoot, "package.json"), "utf8")) as {
    version: string;
  }
).version;

let server: FakeProviderServer;
const workspaces: Workspace[] = [];

async function workspace(config?: Record<string, unknown>): Promise<Workspace> {
  const made = await makeWorkspace(config);
  workspaces.push(made);
  return made;
}

beforeAll(async () => {
  server = await startFakeProviderServer();
});

beforeEach(() => server.reset());

afterAll(async () => {
  await server.close();
  await Promise.all(workspaces.map((made) => made.remove()));
});

/**
 * A behaviour that answers only once `count` requests have arrived: sequential calls would
 * never get there, so an answer proves the calls were concurrent.
 */
function barrier(count: number, then: Behaviour): Behaviour {
  return async () => {
    const arrived = (): boolean => server.requests.length >= count;
    await waitFor(arrived, `${count} concurrent requests`, 5_000).catch(() => undefined);
    return arrived()
      ? then
      : {
          kind: "error",
          status: 400,
          body: { error: { message: "requests were not concurrent" } },
        };
  };
}

describe("bin/orkestra.js", () => {
  it("prints the package version on Node 24", async () => {
    const made = await workspace();
    const run = await runCli(["--version"], { cwd: made.dir });
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it.skipIf(!existsSync("/usr/bin/node"))(
    "re-executes itself on the bundled Node when started by an older system Node",
    async () => {
      const made = await workspace();
      const run = await runCli(["--version"], { cwd: made.dir, node: "/usr/bin/node" });
      expect(run.stderr).toBe("");
      expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
    },
  );

  it("exits quietly when its reader closes the pipe early (orkestra … | head)", async () => {
    const made = await workspace();
    const { child, done } = spawnCli(["config", "schema"], { cwd: made.dir });
    // Closed before the child writes anything: its first write meets a broken pipe.
    child.stdout?.destroy();
    const run = await done;
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled 'error' event/);
    expect(run.code).toBe(0);
  });

  it("lists every command and the global options in --help", async () => {
    const made = await workspace();
    const run = await runCli(["--help"], { cwd: made.dir });
    expect(run.code).toBe(0);
    for (const command of ["ask", "models", "usage", "audit", "validate-config", "config"]) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    }
    for (const option of ["--config", "--json", "--quiet", "--version"]) {
      expect(run.stdout).toContain(option);
    }
  });

  it("answers with the built-in simulated model when nothing is configured, labelled simulated", async () => {
    const made = await workspace();
    const run = await runCli(["ask", "Name three uses of a fallback chain"], { cwd: made.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^── sim \(simulated\)/);
    expect(run.stdout).toContain("Simulated answer");
    expect(existsSync(made.storeFile)).toBe(true);
  });

  it("asks several providers at once; one failing still exits 0 and lists the failure", async () => {
    const made = await workspace({
      models: {
        claude: fakeModel(server, "anthropic"),
        gemini: fakeModel(server, "google"),
        local: fakeModel(server, "openai-compatible"),
      },
    });
    server.setDefault(barrier(3, { kind: "reply", text: "Concurrent hello." }));
    server.enqueueFor("google", barrier(3, { kind: "error", status: 401 }));

    const run = await runCli(["--json", "ask", "--models", "claude,gemini,local", "hello"], {
      cwd: made.dir,
    });

    expect(run.code).toBe(0);
    const document = parseJson(run);
    expect(document.success).toBe(true);
    const results = document.results as { model: string; text: string }[];
    expect(results.map((result) => result.model).sort()).toEqual(["claude", "local"]);
    expect(results.every((result) => result.text === "Concurrent hello.")).toBe(true);
    expect(document.failures).toEqual([
      expect.objectContaining({
        model: "gemini",
        error: expect.objectContaining({ kind: "auth", status: 401, retryable: false }),
        attempts: 1,
      }),
    ]);
    // Logs are JSON on a pipe, on stderr only, and every line about a model names its alias.
    const warning = logLines(run.stderr).find((line) => line.kind === "auth");
    expect(warning).toMatchObject({ model: "gemini", level: 40 });
  });

  it("exits 1 when every model fails", async () => {
    const made = await workspace({
      models: { claude: fakeModel(server, "anthropic"), gpt: fakeModel(server, "openai") },
    });
    server.setDefault({ kind: "error", status: 401 });
    const run = await runCli(["ask", "--models", "claude,gpt", "hello"], { cwd: made.dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/── claude FAILED \(auth 401\)/);
    expect(run.stderr).toMatch(/── gpt FAILED \(auth 401\)/);
  });

  it('reads the prompt from stdin with "-"', async () => {
    const made = await workspace({ models: { claude: fakeModel(server, "anthropic") } });
    const run = await runCli(["ask", "-"], { cwd: made.dir, stdin: "What is on stdin?\n" });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Hello from the fake provider.");
    expect(JSON.stringify(server.requestsFor("anthropic")[0]?.body)).toContain("What is on stdin?");
  });

  it("stops promptly on Ctrl-C, aborting the request in flight", async () => {
    const made = await workspace({ models: { claude: fakeModel(server, "anthropic") } });
    server.setDefault({ kind: "hang" });
    const { child, done } = spawnCli(["--json", "ask", "wait for it"], { cwd: made.dir });
    await waitFor(() => server.inFlight === 1, "the request to reach the fake server");

    const interruptedAt = Date.now();
    child.kill("SIGINT");
    const run = await done;

    expect(Date.now() - interruptedAt).toBeLessThan(2_000);
    expect(run.code).not.toBe(0);
    await waitFor(() => server.inFlight === 0, "the request to be aborted", 1_000);
    // The gateway cancelled the call (it did not just die): the failure says so.
    expect(parseJson(run).failures).toEqual([
      expect.objectContaining({
        model: "claude",
        error: expect.objectContaining({ kind: "cancelled" }),
      }),
    ]);
  });

  it("stops models test promptly on Ctrl-C, reporting the probes as cancelled", async () => {
    const made = await workspace({
      models: { claude: fakeModel(server, "anthropic"), gpt: fakeModel(server, "openai") },
    });
    server.setDefault({ kind: "hang" });
    const { child, done } = spawnCli(["--json", "models", "test"], { cwd: made.dir });
    await waitFor(() => server.inFlight === 2, "both probes to reach the fake server");

    const interruptedAt = Date.now();
    child.kill("SIGINT");
    const run = await done;

    expect(Date.now() - interruptedAt).toBeLessThan(2_000);
    expect(run.code).toBe(1);
    const document = parseJson(run) as { success: boolean; results: { status: string }[] };
    expect(document.success).toBe(false);
    expect(document.results.map((result) => result.status)).toEqual(["cancelled", "cancelled"]);
  });

  it("never writes an API key to stdout, stderr or the store, even at debug level", async () => {
    const key = `sk-ant-api03-${randomBytes(60).toString("base64url").slice(0, 80)}`;
    const made = await workspace({
      models: { claude: fakeModel(server, "anthropic", { apiKeyEnv: "ANTHROPIC_API_KEY" }) },
    });
    server.setDefault({
      kind: "error",
      status: 401,
      // A provider that echoes the key back in its error, as some proxies do.
      body: {
        type: "error",
        error: { type: "authentication_error", message: `invalid x-api-key ${key}` },
      },
    });

    const human = await runCli(["ask", "hello"], {
      cwd: made.dir,
      env: { ANTHROPIC_API_KEY: key, LOG_LEVEL: "debug" },
    });
    const json = await runCli(["--json", "ask", "hello"], {
      cwd: made.dir,
      env: { ANTHROPIC_API_KEY: key, LOG_LEVEL: "debug" },
    });

    // The key did reach the provider, so the call really used it.
    expect(server.requestsFor("anthropic")[0]?.headers["x-api-key"]).toBe(key);
    expect(human.code).toBe(1);
    expect(json.code).toBe(1);
    expect(parseJson(json).failures).toEqual([
      expect.objectContaining({ error: expect.objectContaining({ kind: "auth" }) }),
    ]);
    for (const run of [human, json]) {
      expect(run.stdout).not.toContain(key);
      expect(run.stderr).not.toContain(key);
      expect(run.stdout + run.stderr).not.toContain(key.slice(13, 45));
    }
    const storeDir = join(made.dir, ".orkestra");
    for (const file of await readdir(storeDir)) {
      const bytes = await readFile(join(storeDir, file));
      expect(bytes.includes(key), file).toBe(false);
      expect(bytes.includes(key.slice(13, 45)), file).toBe(false);
    }
  });

  it("never prints the password of a store it cannot reach", async () => {
    const password = `Pw${randomBytes(12).toString("hex")}`;
    const made = await workspace();
    const env = { ORKESTRA_STORE: `postgres://orkestra:${password}@127.0.0.1:9/orkestra` };
    const human = await runCli(["usage"], { cwd: made.dir, env });
    const json = await runCli(["--json", "audit"], { cwd: made.dir, env });
    expect(human.code).toBe(1);
    expect(json.code).toBe(1);
    expect(parseJson(json)).toMatchObject({ success: false, error: { code: "store.connect" } });
    for (const run of [human, json]) {
      expect(run.stdout + run.stderr).not.toContain(password);
      expect(run.stdout + run.stderr).toContain("127.0.0.1:9");
    }
  });
});
