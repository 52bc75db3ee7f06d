import { fork } from "node:child_process";
import type { WorkflowOrder, WorkflowReply, WorkflowRun } from "./workflow-messages.js";
import type { WorkflowSideName, WorkflowTarget } from "./workflow-sides.js";

/** A process that can host any workflow side (`workflow-side-process.ts`); one order at a time. */
export interface WorkflowHost {
  /** Makes `name` against `target` its side; a no-op when it already is. */
  open(name: WorkflowSideName, target: WorkflowTarget): Promise<void>;
  run(calls: number, concurrency: number, maxMs: number): Promise<WorkflowRun>;
  close(): Promise<void>;
}

/**
 * Starts `workflow-side-process.ts` under the same Node with tsx and --expose-gc; profile the
 * hosts with SIDE_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=…".
 */
export function startWorkflowHost(label: string): WorkflowHost {
  const extra = (process.env.SIDE_NODE_OPTIONS ?? "").split(" ").filter((flag) => flag !== "");
  const child = fork(new URL("./workflow-side-process.ts", import.meta.url), {
    execArgv: ["--expose-gc", "--import", "tsx", ...extra],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ask = (order: WorkflowOrder): Promise<WorkflowReply> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: WorkflowReply): void => {
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
      const answer = await ask({ type: "run", calls, concurrency, maxMs });
      if (answer.type !== "ran") throw new Error(`${label}: unexpected answer ${answer.type}`);
      return answer.run;
    },
    close() {
      if (child.exitCode !== null) return Promise.resolve();
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.disconnect();
      return exited;
    },
  };
}

/** Starts `count` hosts at once. */
export function startWorkflowHosts(count: number, run: number): WorkflowHost[] {
  return Array.from({ length: count }, (_, index) =>
    startWorkflowHost(`run ${run + 1}, host ${index + 1}`),
  );
}
