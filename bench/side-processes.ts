import type { SideName, SideTarget } from "./bench-sides.js";
import { forkHost } from "./harness/forked-host.js";
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

/** Starts `side-process.ts` as a host (see `forkHost`). */
export function startSideProcess(label: string): SideProcess {
  const host = forkHost<SideOrder, SideReply>(new URL("./side-process.ts", import.meta.url), label);
  const ask = host.ask;
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
    close: () => host.close(),
  };
}

/** Starts `count` side processes at once. */
export function startSideProcesses(count: number, run: number): SideProcess[] {
  return Array.from({ length: count }, (_, index) =>
    startSideProcess(`run ${run + 1}, host ${index + 1}`),
  );
}
