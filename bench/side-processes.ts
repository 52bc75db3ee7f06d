import { fork } from "node:child_process";
import type { SideName, SideTarget } from "./bench-sides.js";
import type { SideOrder, SideReply, SideRun } from "./side-messages.js";

/** A process that can host any side (`side-process.ts`); one order at a time. */
export interface SideProcess {
  /** Makes `name` against `target` its side; a no-op when it already is. */
  open(name: SideName, target: SideTarget): Promise<void>;
  run(calls: number, concurrency: number, maxMs?: number): Promise<SideRun>;
  /** Heap in use after a full collection, bytes. */
  heapUsed(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts `side-process.ts` under the same Node with tsx and --expose-gc. Its own execArgv:
 * flags given to the benchmark stay there; profile the hosts with
 * SIDE_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=…".
 */
export function startSideProcess(label: string): SideProcess {
  const extra = (process.env.SIDE_NODE_OPTIONS ?? "").split(" ").filter((flag) => flag !== "");
  const child = fork(new URL("./side-process.ts", import.meta.url), {
    execArgv: ["--expose-gc", "--import", "tsx", ...extra],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ask = (order: SideOrder): Promise<SideReply> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: SideReply): void => {
        child.off("exit", onExit);
        if (message.type === "failed") reject(new Error(`${label}: ${message.message}`));
        else resolve(message);
      };
      const onExit = (code: number | null): void => {
        child.off("message", onMessage);
        reject(new Error(`${label}: the side process exited (code ${code})`));
      };
      child.once("message", onMessage);
      child.once("exit", onExit);
      child.send(order);
    });
  return {
    async open(name, target) {
      await ask({ type: "open", name, target });
    },
    async run(calls, concurrency, maxMs) {
      const answer = await ask({
        type: "run",
        calls,
        concurrency,
        ...(maxMs === undefined ? {} : { maxMs }),
      });
      if (answer.type !== "ran") throw new Error(`${label}: unexpected answer ${answer.type}`);
      return answer.run;
    },
    async heapUsed() {
      const answer = await ask({ type: "heap" });
      if (answer.type !== "heap") throw new Error(`${label}: unexpected answer ${answer.type}`);
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

/** Starts `count` side processes at once. */
export function startSideProcesses(count: number, run: number): SideProcess[] {
  return Array.from({ length: count }, (_, index) =>
    startSideProcess(`run ${run + 1}, host ${index + 1}`),
  );
}
