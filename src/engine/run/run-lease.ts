import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Store } from "../../store/index.js";
import { engineDb, engineTransaction } from "../store/engine-db.js";
import type { EngineTransaction } from "../store/engine-tables.js";
import { isTerminal, type RunClaim, TERMINAL_RUN_STATUSES } from "../store/run-records.js";
import { WorkflowError } from "../workflow-error.js";

/**
 * How long a run's lease holds without a heartbeat. A process that dies (SIGKILL, a lost
 * machine) blocks a resume elsewhere for at most this long; a local resume does not wait,
 * since a holder on this host whose pid is gone is taken over at once.
 */
export const RUN_LEASE_TTL_MS = 10_000;

/**
 * How often the driving process renews its lease: five heartbeats per TTL, so a slow store or
 * a busy event loop can miss a few before the lease lapses. A driver whose heartbeat finds the
 * lease taken stops its steps within this interval.
 */
export const RUN_LEASE_HEARTBEAT_MS = 2_000;

export interface RunLeaseTiming {
  /** @defaultValue RUN_LEASE_TTL_MS */
  ttlMs: number;
  /** @defaultValue RUN_LEASE_HEARTBEAT_MS */
  heartbeatMs: number;
}

/** `<host>:<pid>` of this process, read once (`hostname()` is a system call). */
let thisProcess: string | undefined;

/** `<host>:<pid>:<random>`: who a lease and the attempts it claims name. */
export function defaultLeaseOwner(): string {
  thisProcess ??= `${hostname()}:${process.pid}`;
  return `${thisProcess}:${randomUUID().slice(0, 8)}`;
}

/** The host and pid of an owner in the default form, else undefined (an owner given by a program). */
export function parseLeaseOwner(owner: string): { host: string; pid: number } | undefined {
  const match = /^(.+):(\d+):[0-9a-f]{8}$/.exec(owner);
  if (!match) return undefined;
  return { host: match[1] as string, pid: Number(match[2]) };
}

/** A holder on this machine whose process no longer exists cannot renew: its lease is stale. */
function isDeadLocalProcess(owner: string): boolean {
  const parsed = parseLeaseOwner(owner);
  if (!parsed || parsed.host !== hostname() || parsed.pid === process.pid) return false;
  try {
    process.kill(parsed.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the pid exists (another user's process); only ESRCH proves it is gone.
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

interface LeaseRow {
  status: string;
  lease_owner: string | null;
  lease_expires_at: number | null;
  fencing_token: number;
}

function leaseHeld(runId: string, row: LeaseRow, now: number): WorkflowError {
  const owner = row.lease_owner ?? "another process";
  const parsed = parseLeaseOwner(owner);
  const who = parsed ? `${owner} (host ${parsed.host}, pid ${parsed.pid})` : owner;
  const expiresAt = Number(row.lease_expires_at);
  const seconds = Math.max(0, Math.ceil((expiresAt - now) / 1000));
  return new WorkflowError(
    `run ${runId} is being driven by ${who}: its lease expires at ${new Date(expiresAt).toISOString()} (in ${seconds} s) unless that process renews it`,
    {
      code: "workflow.lease_held",
      hint: `Wait for that process to end (its lease lapses ${RUN_LEASE_TTL_MS / 1000} s after its last heartbeat), cancel the run with: orkestra cancel ${runId}, or take it over with: orkestra resume ${runId} --force (the other process then stops its steps without committing).`,
    },
  );
}

/**
 * Takes the lease on a run that has not ended, in one conditional UPDATE: only when no live
 * lease holds it (none, or expired), or when `takeOver` says to take it from whoever holds it.
 * The fencing token grows with every take, so a previous holder can no longer commit. A
 * holder on this host whose process is gone is taken over as if its lease had expired.
 */
export async function takeRunLease(
  store: Store,
  runId: string,
  owner: string,
  options: { now: number; ttlMs: number; takeOver?: boolean },
): Promise<RunClaim> {
  const { now, ttlMs } = options;
  return engineTransaction(store, async (trx) => {
    const take = (from: "free" | "anyone" | { owner: string; token: number }) => {
      let query = trx
        .updateTable("runs")
        .set((expression) => ({
          status: "running",
          lease_owner: owner,
          lease_expires_at: now + ttlMs,
          fencing_token: expression("fencing_token", "+", 1),
          started_at: expression.fn.coalesce("started_at", expression.val(now)),
        }))
        .where("id", "=", runId)
        .where("status", "not in", [...TERMINAL_RUN_STATUSES]);
      if (from === "free") {
        query = query.where((expression) =>
          expression.or([
            expression("lease_expires_at", "is", null),
            expression("lease_expires_at", "<=", now),
          ]),
        );
      } else if (from !== "anyone") {
        query = query.where("lease_owner", "=", from.owner).where("fencing_token", "=", from.token);
      }
      return query.executeTakeFirst();
    };
    const claimed = async (): Promise<RunClaim> => ({
      runId,
      owner,
      token: Number((await readLease(trx, runId))?.fencing_token),
    });

    if (Number((await take(options.takeOver ? "anyone" : "free")).numUpdatedRows) > 0)
      return claimed();
    const row = await readLease(trx, runId);
    if (!row) throw new WorkflowError(`no run "${runId}"`, { code: "workflow.not_found" });
    if (isTerminal(row.status)) {
      throw new WorkflowError(
        `run ${runId} has already ended (${row.status}); it cannot be resumed`,
        { code: "workflow.state", hint: "Start a new run with: orkestra run <file>" },
      );
    }
    if (row.lease_owner !== null && isDeadLocalProcess(row.lease_owner)) {
      const holder = { owner: row.lease_owner, token: Number(row.fencing_token) };
      if (Number((await take(holder)).numUpdatedRows) > 0) return claimed();
    }
    throw leaseHeld(runId, row, now);
  });
}

function readLease(trx: EngineTransaction, runId: string): Promise<LeaseRow | undefined> {
  return trx
    .selectFrom("runs")
    .select(["status", "lease_owner", "lease_expires_at", "fencing_token"])
    .where("id", "=", runId)
    .executeTakeFirst();
}

/** Extends the lease while this claim still holds it; false when someone else has taken it. */
export async function renewRunLease(
  store: Store,
  claim: RunClaim,
  now: number,
  ttlMs: number,
): Promise<boolean> {
  const renewed = await engineDb(store)
    .updateTable("runs")
    .set({ lease_expires_at: now + ttlMs })
    .where("id", "=", claim.runId)
    .where("lease_owner", "=", claim.owner)
    .where("fencing_token", "=", claim.token)
    .executeTakeFirst();
  return Number(renewed.numUpdatedRows) > 0;
}

/** Gives the lease up (the driver stopped), unless someone else holds it by now. */
export async function releaseRunLease(store: Store, claim: RunClaim): Promise<void> {
  await engineDb(store)
    .updateTable("runs")
    .set({ lease_owner: null, lease_expires_at: null })
    .where("id", "=", claim.runId)
    .where("lease_owner", "=", claim.owner)
    .where("fencing_token", "=", claim.token)
    .execute();
}

/**
 * Renews a claim's lease every `heartbeatMs`. `onLost` is called once, when a renewal finds the
 * lease taken, or when renewals have failed (the store unreachable) until the lease would have
 * lapsed: from then on another process may hold the run.
 */
export class RunLeaseHeartbeat {
  private timer: ReturnType<typeof setInterval> | undefined;
  private renewing = false;
  private lost = false;
  private validUntil: number;
  private readonly store: Store;
  private readonly claim: RunClaim;
  private readonly timing: RunLeaseTiming;
  private readonly onLost: () => void;

  constructor(store: Store, claim: RunClaim, timing: RunLeaseTiming, onLost: () => void) {
    this.store = store;
    this.claim = claim;
    this.timing = timing;
    this.onLost = onLost;
    this.validUntil = Date.now() + timing.ttlMs;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.beat(), this.timing.heartbeatMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async beat(): Promise<void> {
    if (this.renewing || this.lost) return;
    this.renewing = true;
    const now = Date.now();
    let held: boolean;
    try {
      held = await renewRunLease(this.store, this.claim, now, this.timing.ttlMs);
      if (held) this.validUntil = now + this.timing.ttlMs;
    } catch {
      held = Date.now() < this.validUntil;
    } finally {
      this.renewing = false;
    }
    if (!held && !this.lost && this.timer) {
      this.lost = true;
      this.stop();
      this.onLost();
    }
  }
}
