import { type ChildProcess, execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeProviderServer, startFakeProviderServer } from "../../src/testing/index.js";
import {
  fakeModel,
  makeWorkspace,
  parseJson,
  runCli,
  spawnCli,
  type Workspace,
  waitFor,
} from "./cli-harness.js";

/**
 * `bin/orkestra.js` started by a Node older than 22 runs the CLI again on the bundled Node 24,
 * in a child process. A signal sent to the shim must reach that child: otherwise the shim dies
 * at once and the CLI carries on as an orphan, its request to the provider still open.
 */

/** The first Node older than 22 on this machine, or undefined. */
function findOldNode(): string | undefined {
  const candidates = new Set(["/usr/bin/node", "/usr/local/bin/node", "/bin/node"]);
  try {
    const found = execFileSync("which", ["-a", "node"], { encoding: "utf8" });
    for (const line of found.split("\n")) if (line.trim() !== "") candidates.add(line.trim());
  } catch {
    // no `which`: the usual places are enough
  }
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const version = spawnSync(candidate, ["--version"], { encoding: "utf8" }).stdout ?? "";
    const major = Number(/^v(\d+)\./.exec(version.trim())?.[1]);
    if (major < 22) return candidate;
  }
  return undefined;
}

const oldNode = findOldNode();
const NO_OLD_NODE = "no Node older than 22 on this machine (looked in PATH and /usr/bin)";

/** Process ids whose parent is `parentPid`, from /proc. */
function childrenOf(parentPid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (command) state ppid …; the command may hold spaces and parentheses.
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === parentPid) children.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return children;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves when the process itself exits (not when its pipes close: an orphan keeps them open). */
function exitOf(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

let server: FakeProviderServer;
let made: Workspace;
/** Every process a test started, killed afterwards if a failing test left it running. */
const started: number[] = [];

beforeAll(async () => {
  server = await startFakeProviderServer();
  made = await makeWorkspace({ models: { claude: fakeModel(server, "anthropic") } });
});

beforeEach(async () => {
  // What an earlier test left open must not pass for this test's request.
  await waitFor(() => server.inFlight === 0 && server.openConnections === 0, "a quiet server");
  server.reset();
  server.setDefault({ kind: "hang" });
});

afterEach(() => {
  for (const pid of started.splice(0)) if (isAlive(pid)) process.kill(pid, "SIGKILL");
});

afterAll(async () => {
  await server.close();
  await made.remove();
});

/**
 * Starts `orkestra --json ask` through the shim on the old Node, in a process group of its own
 * (so the test can signal the group the way a terminal does), and waits until the real CLI's
 * request hangs at the fake provider.
 */
async function askThroughShim(node: string) {
  const { child, done } = spawnCli(["--json", "ask", "-m", "claude", "wait for it"], {
    cwd: made.dir,
    node,
    detached: true,
  });
  const exited = exitOf(child);
  const shimPid = child.pid ?? 0;
  started.push(shimPid);
  await waitFor(() => server.inFlight === 1, "the request to reach the fake provider");
  const cliPids = childrenOf(shimPid);
  started.push(...cliPids);
  expect(cliPids, "the shim runs the CLI in one child process").toHaveLength(1);
  return { shimPid, cliPid: cliPids[0] ?? 0, exited, done };
}

async function within<T>(promise: Promise<T>, milliseconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), milliseconds);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The provider saw the request's connection closed, and no CLI process is left behind. */
async function expectCleanEnd(cliPid: number): Promise<void> {
  await waitFor(
    () => server.inFlight === 0 && server.openConnections === 0,
    "the request's connection to close",
    5_000,
  );
  await waitFor(() => !isAlive(cliPid), "the CLI process to end (no orphan)", 5_000);
}

describe("bin/orkestra.js on a Node older than 22", () => {
  it("passes the exit code of the CLI through", async (context) => {
    if (oldNode === undefined) return context.skip(NO_OLD_NODE);
    const run = await runCli(["ask", "--timeout", "soon", "hello"], {
      cwd: made.dir,
      node: oldNode,
    });
    expect(run.stderr).toContain('--timeout: "soon" is not a duration');
    expect(run.code).toBe(2);
  });

  it("forwards SIGINT to the CLI, which cancels its request, and exits as the CLI does", async (context) => {
    if (oldNode === undefined) return context.skip(NO_OLD_NODE);
    const { shimPid, cliPid, exited, done } = await askThroughShim(oldNode);

    process.kill(shimPid, "SIGINT");

    const exit = await within(exited, 5_000, "the shim to exit");
    await expectCleanEnd(cliPid);
    // The CLI handled the interrupt (it did not just die): it reports the call as cancelled
    // and exits 1, and the shim exits with that code.
    expect(exit).toEqual({ code: 1, signal: null });
    const run = await done;
    expect(parseJson(run).failures).toEqual([
      expect.objectContaining({ error: expect.objectContaining({ kind: "cancelled" }) }),
    ]);
  });

  it("stays graceful on a Ctrl-C at a terminal, which signals the shim and the CLI at once", async (context) => {
    if (oldNode === undefined) return context.skip(NO_OLD_NODE);
    const { shimPid, cliPid, exited, done } = await askThroughShim(oldNode);

    // A terminal sends SIGINT to its whole foreground process group.
    process.kill(-shimPid, "SIGINT");

    expect(await within(exited, 5_000, "the shim to exit")).toEqual({ code: 1, signal: null });
    await expectCleanEnd(cliPid);
    expect(parseJson(await done).failures).toEqual([
      expect.objectContaining({ error: expect.objectContaining({ kind: "cancelled" }) }),
    ]);
  });

  it("forwards SIGTERM, and dies of the same signal as the CLI", async (context) => {
    if (oldNode === undefined) return context.skip(NO_OLD_NODE);
    const { shimPid, cliPid, exited } = await askThroughShim(oldNode);

    process.kill(shimPid, "SIGTERM");

    expect(await within(exited, 5_000, "the shim to exit")).toEqual({
      code: null,
      signal: "SIGTERM",
    });
    await expectCleanEnd(cliPid);
  });

  it("forwards SIGHUP, as when the terminal closes", async (context) => {
    if (oldNode === undefined) return context.skip(NO_OLD_NODE);
    const { shimPid, cliPid, exited } = await askThroughShim(oldNode);

    process.kill(shimPid, "SIGHUP");

    expect(await within(exited, 5_000, "the shim to exit")).toEqual({
      code: null,
      signal: "SIGHUP",
    });
    await expectCleanEnd(cliPid);
  });
});
