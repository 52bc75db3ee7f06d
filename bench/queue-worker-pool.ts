import { type ChildProcess, fork } from "node:child_process";
import { type ClockOffset, type ClockPing, clockNow, clockOffset } from "./queue-clock.js";
import type {
  PickupReports,
  QueueWorkerMessage,
  QueueWorkerOrder,
  QueueWorkerReply,
} from "./queue-messages.js";
import type { QueueTarget } from "./queue-side.js";
import type { QueueSideName } from "./queue-sides.js";

/** Pings per process for its clock offset; the shortest round trip wins. */
const PINGS = 20;

/** What one worker process did between `start` and `stop`. */
export interface WorkerTotals {
  handled: number;
  cpuUs: number;
}

/** A job's pickup, on the bench's clock (the worker's offset taken off). */
export type PickupListener = (seq: number, at: number) => void;

/** Worker processes (`queue-worker-process.ts`), started once per run and reused by every side. */
export interface QueueWorkerPool {
  readonly size: number;
  /** Each process's clock minus the bench's, measured when the pool started. */
  readonly offsets: readonly ClockOffset[];
  /** Starts `side`'s worker in the first `count` processes; resolves when all are ready. */
  start(
    count: number,
    side: QueueSideName,
    target: QueueTarget,
    options: { maxConnections: number; reports: PickupReports; onPickup: PickupListener },
  ): Promise<void>;
  /** Stops the workers `start` started, and says what each did. */
  stop(): Promise<WorkerTotals[]>;
  close(): Promise<void>;
}

interface WorkerProcess {
  ask(order: QueueWorkerOrder): Promise<QueueWorkerReply>;
  onPickup: PickupListener | undefined;
  offset: number;
  child: ChildProcess;
}

function forkWorker(label: string): WorkerProcess {
  const extra = (process.env.SIDE_NODE_OPTIONS ?? "").split(" ").filter((flag) => flag !== "");
  const child = fork(new URL("./queue-worker-process.ts", import.meta.url), {
    execArgv: ["--import", "tsx", ...extra],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting: {
    resolve(reply: QueueWorkerReply): void;
    reject(error: Error): void;
  }[] = [];
  const worker: WorkerProcess = {
    onPickup: undefined,
    offset: 0,
    child,
    ask(order) {
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        child.send(order);
      });
    },
  };
  child.on("message", (message: QueueWorkerMessage) => {
    if (message.type === "picked") {
      worker.onPickup?.(message.seq, message.at - worker.offset);
      return;
    }
    const pending = waiting.shift();
    if (message.type === "failed") pending?.reject(new Error(`${label}: ${message.message}`));
    else pending?.resolve(message);
  });
  child.on("error", (error) => {
    for (const pending of waiting.splice(0))
      pending.reject(new Error(`${label}: ${error.message}`));
  });
  child.on("exit", (code) => {
    for (const pending of waiting.splice(0)) {
      pending.reject(new Error(`${label}: the worker process exited (code ${code})`));
    }
  });
  return worker;
}

async function measureOffset(worker: WorkerProcess): Promise<ClockOffset> {
  const pings: ClockPing[] = [];
  for (let ping = 0; ping < PINGS; ping += 1) {
    const sentAt = clockNow();
    const reply = await worker.ask({ type: "ping" });
    const receivedAt = clockNow();
    if (reply.type !== "pong") throw new Error(`unexpected answer ${reply.type} to a ping`);
    pings.push({ sentAt, workerAt: reply.at, receivedAt });
  }
  return clockOffset(pings);
}

/** Forks `size` worker processes and measures each one's clock offset. */
export async function startQueueWorkerPool(size: number, run: number): Promise<QueueWorkerPool> {
  const workers = Array.from({ length: size }, (_, index) =>
    forkWorker(`run ${run + 1}, worker process ${index + 1}`),
  );
  const offsets: ClockOffset[] = [];
  for (const worker of workers) {
    const offset = await measureOffset(worker);
    worker.offset = offset.offsetMs;
    offsets.push(offset);
  }
  let started: WorkerProcess[] = [];
  return {
    size,
    offsets,
    async start(count, side, target, options) {
      if (started.length > 0) throw new Error("start while workers run: stop them first");
      if (count > size) throw new Error(`${count} workers asked of a pool of ${size}`);
      started = workers.slice(0, count);
      for (const worker of started) worker.onPickup = options.onPickup;
      await Promise.all(
        started.map((worker) =>
          worker.ask({
            type: "start",
            side,
            target,
            maxConnections: options.maxConnections,
            reports: options.reports,
          }),
        ),
      );
    },
    async stop() {
      const stopping = started;
      started = [];
      const replies = await Promise.all(stopping.map((worker) => worker.ask({ type: "stop" })));
      for (const worker of stopping) worker.onPickup = undefined;
      return replies.map((reply) => {
        if (reply.type !== "stopped") throw new Error(`unexpected answer ${reply.type} to stop`);
        return { handled: reply.handled, cpuUs: reply.cpuUs };
      });
    },
    async close() {
      await Promise.all(
        workers.map((worker) => {
          if (worker.child.exitCode !== null) return Promise.resolve();
          const exited = new Promise<void>((resolve) => worker.child.once("exit", () => resolve()));
          worker.child.disconnect();
          return exited;
        }),
      );
    },
  };
}
