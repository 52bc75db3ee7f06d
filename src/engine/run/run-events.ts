import type { RunStatus, StepStatus } from "../store/run-records.js";
import type { LoopStopReason, StepKind } from "../workflow-definition.js";

/** What the executor tells its listeners, in order, for one run (sub-workflows have their own). */
export type RunEvent =
  | { type: "run:start"; runId: string; workflow: string; resumed: boolean; iteration: number }
  | {
      type: "step:start";
      runId: string;
      stepId: string;
      kind: StepKind;
      iteration: number;
      attempt: number;
    }
  | {
      type: "step:retry";
      runId: string;
      stepId: string;
      iteration: number;
      attempt: number;
      error: string;
      delayMs: number;
    }
  | {
      type: "step:end";
      runId: string;
      stepId: string;
      kind: StepKind;
      iteration: number;
      attempt: number;
      status: StepStatus;
      durationMs: number;
      costUsd: number;
      inputTokens: number;
      outputTokens: number;
      model: string | null;
      error?: string;
    }
  | { type: "approval:waiting"; runId: string; stepId: string; approvalId: string; title: string }
  | {
      type: "approval:decided";
      runId: string;
      stepId: string;
      approvalId: string;
      status: "approved" | "rejected";
      decidedBy: string | null;
    }
  | {
      type: "iteration:end";
      runId: string;
      iteration: number;
      score: number | null;
      stopReason?: LoopStopReason;
    }
  | {
      type: "run:end";
      runId: string;
      status: RunStatus;
      stopReason: LoopStopReason | null;
      error?: string;
    };

export type RunEventType = RunEvent["type"];
export type RunEventOf<Type extends RunEventType> = Extract<RunEvent, { type: Type }>;

/** Subscribe to a run's events: `events.on("step:end", (event) => …)`; each `on` returns its unsubscribe. */
export class RunEmitter {
  private readonly listeners = new Map<string, Set<(event: RunEvent) => void>>();

  on<Type extends RunEventType>(
    type: Type,
    listener: (event: RunEventOf<Type>) => void,
  ): () => void {
    return this.add(type, listener as (event: RunEvent) => void);
  }

  /** Every event. */
  onAny(listener: (event: RunEvent) => void): () => void {
    return this.add("*", listener);
  }

  emit(event: RunEvent): void {
    for (const key of [event.type, "*"]) {
      for (const listener of this.listeners.get(key) ?? []) {
        // A listener that throws must not break the run.
        try {
          listener(event);
        } catch {}
      }
    }
  }

  private add(key: string, listener: (event: RunEvent) => void): () => void {
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }
}
