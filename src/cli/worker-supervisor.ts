import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Logger } from "../observability/index.js";
import { EXIT_OK, EXIT_USAGE } from "./exit-codes.js";
import { onStopSignals, signalExitCode } from "./worker-signals.js";

/** Restart delays: the first, the cap, and how long a process must have run to reset them. */
export interface RestartBackoff {
  /** @defaultValue 1000 */
  initialMs: number;
  /** @defaultValue 30000 */
  maxMs: number;
  /** @defaultValue 60000 */
  resetAfterMs: number;
}

export const DEFAULT_RESTART_BACKOFF: RestartBackoff = {
  initialMs: 1_000,
  maxMs: 30_000,
  resetAfterMs: 60_000,
};

export interface SuperviseOptions {
  processes: number;
  /** Each process's arguments after the entry script (`worker …`). */
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  /** Where each process's stdout and stderr go, whole lines at a time. */
  output(text: string): void;
  /** @defaultValue DEFAULT_RESTART_BACKOFF */
  backoff?: RestartBackoff;
  /** The script each process runs. @defaultValue this package's bin/orkestra.js */
  entry?: string;
}

/** One supervised slot: the processes it ran, one after the other. */
export interface SupervisedSlot {
  index: number;
  /** Processes started in this slot (1 + restarts). */
  starts: number;
  pids: number[];
  /** How the last one ended. */
  lastExit: { code: number | null; signal: string | null } | null;
}

export interface Supervision {
  slots: SupervisedSlot[];
  /** 0 after a stop signal or when every process ended by itself with 0; 2 when one reported bad usage. */
  exitCode: number;
}

const BIN = fileURLToPath(new URL("../../bin/orkestra.js", import.meta.url));

/**
 * `orkestra worker --processes P`: runs P worker processes and restarts one that dies, after
 * a delay that doubles from `initialMs` to `maxMs` and starts over once a process has run
 * `resetAfterMs`. A process that exits with 0 (`--once`) is not restarted, nor is one that
 * exits with 2 (bad configuration: every restart would fail alike), which also stops the
 * others. SIGTERM/SIGINT are passed on to every process and the supervisor waits for them all;
 * a second signal is passed on too (the workers then exit at once) and the supervisor exits.
 * Each process has an IPC channel: when the supervisor dies, its workers stop gracefully.
 */
export function supervise(options: SuperviseOptions): Promise<Supervision> {
  const backoff = options.backoff ?? DEFAULT_RESTART_BACKOFF;
  const entry = options.entry ?? BIN;
  const { logger } = options;
  const slots: SupervisedSlot[] = Array.from({ length: options.processes }, (_, index) => ({
    index,
    starts: 0,
    pids: [],
    lastExit: null,
  }));
  const live = new Map<number, ChildProcess>();
  const delays = new Map<number, number>();
  const restarts = new Map<number, ReturnType<typeof setTimeout>>();
  let stopping = false;
  let exitCode = EXIT_OK;

  return new Promise<Supervision>((resolve) => {
    const finishIfDone = (): void => {
      if (live.size > 0 || restarts.size > 0) return;
      stopSignals();
      resolve({ slots, exitCode });
    };
    const stopAll = (signal: NodeJS.Signals): void => {
      stopping = true;
      for (const timer of restarts.values()) clearTimeout(timer);
      restarts.clear();
      for (const child of live.values()) child.kill(signal);
      finishIfDone();
    };
    const start = (slot: SupervisedSlot): void => {
      const startedAt = Date.now();
      const child = spawn(process.execPath, [entry, ...options.args], {
        cwd: options.cwd,
        env: { ...options.env, ORKESTRA_WORKER_SLOT: String(slot.index) },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      });
      slot.starts += 1;
      if (child.pid !== undefined) slot.pids.push(child.pid);
      live.set(slot.index, child);
      forwardLines(child, options.output);
      logger.info({ slot: slot.index, pid: child.pid, start: slot.starts }, "supervisor:started");
      let exited = false;
      child.once("error", (error) => {
        logger.error({ err: error, slot: slot.index }, "supervisor: could not start a worker");
        // A process that never started has no exit to wait for.
        if (child.pid === undefined) onExit(null, null);
      });
      child.once("exit", (code, signal) => onExit(code, signal));
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (exited) return;
        exited = true;
        live.delete(slot.index);
        slot.lastExit = { code, signal };
        const ranMs = Date.now() - startedAt;
        if (stopping || code === EXIT_OK) {
          logger.info({ slot: slot.index, pid: child.pid, code, signal }, "supervisor:exited");
        } else if (code === EXIT_USAGE) {
          logger.error(
            { slot: slot.index, pid: child.pid, code },
            "supervisor: a worker reported bad usage or configuration; stopping every worker",
          );
          exitCode = EXIT_USAGE;
          stopAll("SIGTERM");
        } else {
          const previous = delays.get(slot.index);
          const delayMs =
            previous === undefined || ranMs >= backoff.resetAfterMs
              ? backoff.initialMs
              : Math.min(previous * 2, backoff.maxMs);
          delays.set(slot.index, delayMs);
          logger.warn(
            { slot: slot.index, pid: child.pid, code, signal, ranMs, restartInMs: delayMs },
            "supervisor: a worker died; restarting it",
          );
          restarts.set(
            slot.index,
            setTimeout(() => {
              restarts.delete(slot.index);
              if (!stopping) start(slot);
              else finishIfDone();
            }, delayMs),
          );
        }
        finishIfDone();
      };
    };
    const stopSignals = onStopSignals({
      first: (signal) => {
        logger.info({ signal, processes: live.size }, "supervisor:shutdown requested");
        stopAll(signal);
      },
      again: (signal) => {
        for (const child of live.values()) child.kill(signal);
        process.exit(signalExitCode(signal));
      },
    });
    for (const slot of slots) start(slot);
  });
}

/** Passes a child's stdout and stderr on, whole lines at a time, so lines of two never mix. */
function forwardLines(child: ChildProcess, output: (text: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let partial = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      const text = partial + chunk;
      const end = text.lastIndexOf("\n");
      if (end === -1) {
        partial = text;
        return;
      }
      partial = text.slice(end + 1);
      output(text.slice(0, end + 1));
    });
    stream?.on("end", () => {
      if (partial !== "") output(`${partial}\n`);
      partial = "";
    });
  }
}
