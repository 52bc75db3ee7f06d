/** Why a run's in-flight steps were aborted from outside the step. */
export class RunStop extends Error {
  readonly reason: "cancelled" | "deadline" | "failed" | "detach" | "lease_lost";
  constructor(reason: RunStop["reason"]) {
    super(`run stopped: ${reason}`);
    this.reason = reason;
  }
}
