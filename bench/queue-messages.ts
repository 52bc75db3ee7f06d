import type { QueueTarget } from "./queue-side.js";
import type { QueueSideName } from "./queue-sides.js";

/** What a worker process reports per job: only the first pickup, or every pickup. */
export type PickupReports = "first" | "each";

/** Orders from the queue bench to a worker process (`queue-worker-process.ts`). */
export type QueueWorkerOrder =
  /** Answered at once with this process's clock: the bench estimates the offset between clocks. */
  | { type: "ping" }
  /** Starts `side`'s worker on `target`; answered once it is ready to take jobs. */
  | {
      type: "start";
      side: QueueSideName;
      target: QueueTarget;
      maxConnections: number;
      reports: PickupReports;
    }
  /** Stops the worker; answered with what it did since `start`. */
  | { type: "stop" };

/** Replies, one per order. */
export type QueueWorkerReply =
  | { type: "pong"; at: number }
  | { type: "started" }
  | {
      type: "stopped";
      /** Jobs whose handler started. */
      handled: number;
      /** This process's CPU (user + system) from `started` to `stopped`, µs. */
      cpuUs: number;
    }
  | { type: "failed"; message: string };

/** Sent unasked while a worker runs; `at` is the worker process's clock (`clockNow`). */
export type QueueWorkerEvent = { type: "picked"; seq: number; at: number };

export type QueueWorkerMessage = QueueWorkerReply | QueueWorkerEvent;
