import { fork } from "node:child_process";
import type { FakeProviderBaseURLs } from "../src/testing/index.js";
import type { SideName } from "./bench-sides.js";
import type { SideOrder, SideReply, SideRun } from "./side-messages.js";

/** A side running in its own process; one order at a time. */
export interface SideProcess {
  name: SideName;
  /** (Re)builds the side against a server; the previous one is closed. */
  open(baseURL: FakeProviderBaseURLs): Promise<void>;
  run(calls: number, concurrency: number): Promise<SideRun>;
  /** Heap in use after a full collection, bytes. */
  heapUsed(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts `side-process.ts` for `name`, under the same Node with tsx and --expose-gc (for the
 * heap measurement at the end). Its own execArgv: flags given to the benchmark stay there;
 * profile a side with SIDE_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=…".
 */
export function startSideProcess(name: SideName, directory: string): SideProcess {
  const extra = (process.env.SIDE_NODE_OPTIONS ?? "").split(" ").filter((flag) => flag !== "");
  const child = fork(new URL("./side-process.ts", import.meta.url), {
    execArgv: ["--expose-gc", "--import", "tsx", ...extra],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ask = (order: SideOrder): Promise<SideReply> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: SideReply): void => {
        child.off("exit", onExit);
        if (message.type === "failed") reject(new Error(`${name}: ${message.message}`));
        else resolve(message);
      };
      const onExit = (code: number | null): void => {
        child.off("message", onMessage);
        reject(new Error(`${name}: the side process exited (code ${code})`));
      };
      child.once("message", onMessage);
      child.once("exit", onExit);
      child.send(order);
    });
  return {
    name,
    async open(baseURL) {
      await ask({ type: "open", name, baseURL, directory });
    },
    async run(calls, concurrency) {
      const answer = await ask({ type: "run", calls, concurrency });
      if (answer.type !== "ran") throw new Error(`${name}: unexpected answer ${answer.type}`);
      return answer.run;
    },
    async heapUsed() {
      const answer = await ask({ type: "heap" });
      if (answer.type !== "heap") throw new Error(`${name}: unexpected answer ${answer.type}`);
      return answer.heapUsedBytes;
    },
    close() {
      if (child.exitCode !== null) return Promise.resolve();
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.disconnect();
      return exited;
    },
  };
}
