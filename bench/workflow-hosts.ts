import { forkHost } from "./harness/forked-host.js";
import type { WorkflowOrder, WorkflowReply, WorkflowRun } from "./workflow-messages.js";
import type { WorkflowSideName, WorkflowTarget } from "./workflow-sides.js";

/** A process that can host any workflow side (`workflow-side-process.ts`); one order at a time. */
export interface WorkflowHost {
  /** Makes `name` against `target` its side; a no-op when it already is. */
  open(name: WorkflowSideName, target: WorkflowTarget): Promise<void>;
  run(calls: number, concurrency: number, maxMs: number): Promise<WorkflowRun>;
  close(): Promise<void>;
}

/** Starts `workflow-side-process.ts` as a host (see `forkHost`). */
export function startWorkflowHost(label: string): WorkflowHost {
  const host = forkHost<WorkflowOrder, WorkflowReply>(
    new URL("./workflow-side-process.ts", import.meta.url),
    label,
  );
  return {
    async open(name, target) {
      await host.ask({ type: "open", name, target });
    },
    async run(calls, concurrency, maxMs) {
      const answer = await host.ask({ type: "run", calls, concurrency, maxMs });
      if (answer.type !== "ran") throw new Error(`${label}: unexpected answer ${answer.type}`);
      return answer.run;
    },
    close: () => host.close(),
  };
}

/** Starts `count` hosts at once. */
export function startWorkflowHosts(count: number, run: number): WorkflowHost[] {
  return Array.from({ length: count }, (_, index) =>
    startWorkflowHost(`run ${run + 1}, host ${index + 1}`),
  );
}
