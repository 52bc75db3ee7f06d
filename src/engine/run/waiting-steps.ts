import type { Store } from "../../store/index.js";
import { markAttempt, type RunClaim, updateRun } from "../store/run-records.js";

/**
 * The steps of a run that wait for a person: an approval step, or a sub-workflow step whose
 * child run waits for one. The run is `waiting` while any step is here; the driver detaches
 * (without `waitForApprovals`) once only these steps remain. Keys are `<step>@<iteration>`.
 */
export class WaitingSteps {
  private readonly keys = new Set<string>();
  private waited = false;
  // Status writes in the order the steps came and went, so a late "running" never lands last.
  private writes: Promise<unknown> = Promise.resolve();
  private readonly store: Store;
  private readonly claim: RunClaim;
  private readonly wakeUp: () => void;

  constructor(store: Store, claim: RunClaim, wakeUp: () => void) {
    this.store = store;
    this.claim = claim;
    this.wakeUp = wakeUp;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** Whether any step has waited in this drive (its attempt and the run were marked waiting). */
  get hasWaited(): boolean {
    return this.waited;
  }

  /** Marks the attempt and the run waiting; then the driver looks at its steps again. */
  async enter(key: string, attemptId: string): Promise<void> {
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.waited = true;
    await this.write(async () => {
      await markAttempt(this.store, attemptId, "waiting");
      if (this.keys.size > 0) await updateRun(this.store, this.claim, { status: "waiting" });
    });
    this.wakeUp();
  }

  /**
   * The step goes on (a decision came) or was detached. Going on, its attempt runs again, and
   * the run does too once no step waits.
   */
  async leave(key: string, attemptId: string, detached: boolean): Promise<void> {
    if (!this.keys.delete(key)) return;
    if (!detached) {
      await this.write(async () => {
        await markAttempt(this.store, attemptId, "running");
        if (this.keys.size === 0) await updateRun(this.store, this.claim, { status: "running" });
      });
    }
    this.wakeUp();
  }

  /** Resolves once every status write asked for so far is done. */
  settled(): Promise<unknown> {
    return this.writes;
  }

  private write(work: () => Promise<void>): Promise<void> {
    const next = this.writes.then(work);
    this.writes = next.catch(() => {});
    return next;
  }
}
