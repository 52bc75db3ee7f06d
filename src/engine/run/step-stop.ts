import type { RunStop } from "./run-stop.js";

/**
 * Whether one step must stop, following the run's signal and its iteration's (a sibling that
 * failed the run): the first reason wins, as with `AbortSignal.any`, which costs a composite
 * signal and its bookkeeping per step. The attempt in progress (`follow`) is aborted with it.
 */
export class StepStop {
  private reason: RunStop | undefined;
  private attempt: AbortController | undefined;
  private readonly sources: readonly AbortSignal[];
  private readonly onAbort = (event: Event): void => {
    this.reason ??= (event.target as AbortSignal).reason as RunStop;
    this.attempt?.abort(this.reason);
  };

  constructor(sources: readonly AbortSignal[]) {
    this.sources = sources;
    for (const source of sources) {
      if (source.aborted) {
        this.reason = source.reason as RunStop;
        return;
      }
    }
    for (const source of sources) source.addEventListener("abort", this.onAbort, { once: true });
  }

  /** Why the step stops, once it does. */
  stopped(): RunStop | undefined {
    return this.reason;
  }

  /** Aborts `controller` (the attempt that runs now) when the step stops; at once if it has. */
  follow(controller: AbortController | undefined): void {
    this.attempt = controller;
    if (controller && this.reason) controller.abort(this.reason);
  }

  /** A signal that aborts when the step stops, for a wait between attempts. */
  signal(): AbortSignal {
    return AbortSignal.any([...this.sources]);
  }

  dispose(): void {
    this.attempt = undefined;
    for (const source of this.sources) source.removeEventListener("abort", this.onAbort);
  }
}
