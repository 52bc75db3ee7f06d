import { type ChildProcess, fork } from "node:child_process";
import type { FakeProviderBaseURLs } from "../src/testing/index.js";
import type { ServerMessage, ServerStats } from "./server-messages.js";

/** The fake provider server, running in a child process. */
export interface ServerProcess {
  baseURL: FakeProviderBaseURLs;
  stats(): Promise<ServerStats>;
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

export interface ServerProcessOptions {
  /** Latency of every reply, ms. @defaultValue 0 */
  delayMs?: number;
}

function nextMessage(child: ChildProcess, type: ServerMessage["type"]): Promise<ServerMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ServerMessage): void => {
      if (message.type !== type) return;
      cleanUp();
      resolve(message);
    };
    const onExit = (code: number | null): void => {
      cleanUp();
      reject(new Error(`the fake server process exited (code ${code}) before "${type}"`));
    };
    const cleanUp = (): void => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/**
 * Starts `fake-server-process.ts` under the same Node with tsx. Its own execArgv, so profiling
 * flags given to the benchmark do not profile the server too.
 */
export async function startServerProcess(
  options: ServerProcessOptions = {},
): Promise<ServerProcess> {
  const child = fork(new URL("./fake-server-process.ts", import.meta.url), {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, FAKE_SERVER_DELAY_MS: String(options.delayMs ?? 0) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await nextMessage(child, "ready");
  if (ready.type !== "ready") throw new Error("unexpected message from the fake server process");
  return {
    baseURL: ready.baseURL,
    async stats() {
      const answer = nextMessage(child, "stats");
      child.send({ type: "stats" } satisfies ServerMessage);
      const message = await answer;
      if (message.type !== "stats" || !message.stats) throw new Error("no stats in the answer");
      return message.stats;
    },
    async resetStats() {
      const answer = nextMessage(child, "reset-stats");
      child.send({ type: "reset-stats" } satisfies ServerMessage);
      await answer;
    },
    close() {
      if (child.exitCode !== null) return Promise.resolve();
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.disconnect();
      return exited;
    },
  };
}
