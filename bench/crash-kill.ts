import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The crash tests' child (test/engine/fixtures/crash-child.ts), bundled once: it starts fast. */
export async function bundleCrashChild(): Promise<{ script: string; remove(): Promise<void> }> {
  // Under the repository, so the bundle's packages resolve from its node_modules.
  const directory = await mkdtemp(join(root, "node_modules", ".cache-crash-soak-"));
  const script = join(directory, "crash-child.mjs");
  await build({
    entryPoints: [join(root, "test", "engine", "fixtures", "crash-child.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile: script,
    logLevel: "warning",
  });
  return { script, remove: () => rm(directory, { recursive: true, force: true }) };
}

export interface KillPoint {
  /** SIGKILL once the child reported this many commits (0: once its run started)… */
  afterCommits: number;
  /** …and this many ms later: in a step, in a commit, or between them. */
  afterMs: number;
}

export interface KilledRun {
  runId: string;
  point: KillPoint;
  /** False when the run ended before the kill landed. */
  interrupted: boolean;
  /** Commits the child reported before it died. */
  commitsSeen: number;
}

/** Starts a child driving one crash-workflow run on `url`, and SIGKILLs it at `point`. */
export function runAndKill(
  script: string,
  url: string,
  logPath: string,
  point: KillPoint,
): Promise<KilledRun> {
  const child: ChildProcess = spawn(process.execPath, [script, url, logPath], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    let runId: string | undefined;
    let exited = false;
    let armed = false;
    let commits = 0;
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^run (\S+)$/m.exec(stdout);
      if (match) runId = match[1] as string;
      commits = stdout.split("\n").filter((line) => line.startsWith("committed ")).length;
      if (runId && !armed && commits >= point.afterCommits) {
        armed = true;
        setTimeout(() => {
          if (!exited) child.kill("SIGKILL");
        }, point.afterMs);
      }
    });
    child.on("exit", (_code, signal) => {
      exited = true;
      if (!runId) reject(new Error(`the child ended before its run started: ${stderr}`));
      else resolve({ runId, point, interrupted: signal === "SIGKILL", commitsSeen: commits });
    });
  });
}
