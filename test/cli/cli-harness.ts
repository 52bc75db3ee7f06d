import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { TextSink } from "../../src/cli/cli-io.js";
import { CommandRunner } from "../../src/cli/command-runner.js";
import { main } from "../../src/cli/main.js";
import { createProgram } from "../../src/cli/program.js";
import type { FakeProviderServer, ProviderShape } from "../../src/testing/index.js";

export const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));
export const binPath = join(repositoryRoot, "bin", "orkestra.js");

/** The variable every fake-server model reads its key from, and the key the tests put in it. */
export const FAKE_KEY_ENV = "ORKESTRA_TEST_KEY";
export const FAKE_KEY = "test-key-not-secret";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  /** Added to a clean environment (PATH, HOME, USER and the fake key only). */
  env?: Record<string, string | undefined>;
  /** Piped to stdin; stdin is empty (and not a terminal) without it. */
  stdin?: string;
}

/** A clean environment, so no key, ORKESTRA_STORE or LOG_LEVEL of whoever runs the tests leaks in. */
function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    USER: process.env.USER,
    [FAKE_KEY_ENV]: FAKE_KEY,
    ...extra,
  };
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Runs the CLI in this process through `main`, with captured output: fast, and proves the logic. */
export async function runInProcess(args: readonly string[], options: RunOptions): Promise<CliRun> {
  const stdout = new TextSink();
  const stderr = new TextSink();
  const stdin = Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]);
  const code = await main(["node", "orkestra", ...args], {
    stdout,
    stderr,
    stdin: Object.assign(stdin, { isTTY: false }),
    env: cleanEnv(options.env),
    cwd: options.cwd,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

export interface SpawnOptions extends RunOptions {
  /** The Node that runs bin/orkestra.js. @defaultValue process.execPath (Node 24 under vitest) */
  node?: string;
  /** In a process group (and session) of its own, so a test can signal the group. */
  detached?: boolean;
}

export interface SpawnedCli {
  child: ChildProcess;
  /** Resolves when the process has exited and its output is read. */
  done: Promise<CliRun>;
}

/**
 * Starts the real `bin/orkestra.js` in a child process. Asynchronous on purpose: a fake
 * provider server in this process has to keep answering while the command runs.
 */
export function spawnCli(args: readonly string[], options: SpawnOptions): SpawnedCli {
  const child = spawn(options.node ?? process.execPath, [binPath, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    stdio: ["pipe", "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  child.stdin?.end(options.stdin ?? "");
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) =>
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr }),
    );
  });
  return { child, done };
}

export function runCli(args: readonly string[], options: SpawnOptions): Promise<CliRun> {
  return spawnCli(args, options).done;
}

/** A temporary working directory with `orkestra.yaml` (when given); its store is created on use. */
export interface Workspace {
  dir: string;
  /** The default SQLite store of the workspace. */
  storeFile: string;
  writeConfig(text: string): Promise<void>;
  remove(): Promise<void>;
}

export async function makeWorkspace(config?: string | Record<string, unknown>): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), "orkestra-cli-"));
  const workspace: Workspace = {
    dir,
    storeFile: join(dir, ".orkestra", "orkestra.db"),
    writeConfig: (text) => writeFile(join(dir, "orkestra.yaml"), text),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  if (config !== undefined) {
    // YAML is a superset of JSON, so a config object can be written as JSON.
    await workspace.writeConfig(
      typeof config === "string" ? config : JSON.stringify(config, null, 2),
    );
  }
  return workspace;
}

/** Provider package names per fake-server shape; `openai` answers on chat completions. */
const MODEL_IDS: Readonly<Record<ProviderShape, string>> = {
  openai: "gpt-4.1",
  anthropic: "claude-sonnet-4-5",
  google: "gemini-2.5-flash",
  xai: "grok-4",
  "openai-compatible": "llama3.2",
};

/** A `models.<alias>` entry that talks to the fake server in the provider's wire format. */
export function fakeModel(
  server: FakeProviderServer,
  shape: ProviderShape,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    provider: shape,
    model: MODEL_IDS[shape],
    baseURL: server.baseURL[shape],
    apiKeyEnv: FAKE_KEY_ENV,
    ...extra,
  };
}

/** Waits until `check` holds, polling; fails after `timeoutMs`. */
export async function waitFor(
  check: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Parses stdout as exactly one JSON document; the error names what was printed. */
export function parseJson(run: CliRun): Record<string, unknown> {
  try {
    return JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(
      `stdout is not one JSON document (exit ${run.code}):\n${run.stdout}\nstderr:\n${run.stderr}`,
    );
  }
}

/** Every JSON log line on stderr (lines that are not JSON are skipped). */
export function logLines(stderr: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of stderr.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not a log line
    }
  }
  return lines;
}

/** Every command that runs something: the leaves of the command tree, as `models list`. */
export function leafCommands(): string[] {
  const sink = new TextSink();
  const program = createProgram(
    { stdout: sink, stderr: sink, stdin: process.stdin, env: {}, cwd: tmpdir() },
    new CommandRunner(),
  );
  const leaves: string[] = [];
  const walk = (command: Command, path: string[]): void => {
    const children = command.commands.filter((child) => child.name() !== "help");
    // A group with its own action (audit) is a command too.
    const runnable =
      path.length > 0 && (children.length === 0 || ["audit", "votes"].includes(command.name()));
    if (runnable) leaves.push(path.join(" "));
    for (const child of children) walk(child, [...path, child.name()]);
  };
  walk(program, []);
  return leaves;
}
