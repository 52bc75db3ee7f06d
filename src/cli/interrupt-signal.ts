import { UsageError } from "../errors/index.js";

/**
 * A SIGINT this soon after the first is the same Ctrl-C arriving twice: under the Node 20 shim
 * (bin/orkestra.js) a terminal's Ctrl-C reaches the CLI directly, since both processes share
 * the terminal's process group, and once more forwarded by the shim a moment later.
 */
const REPEAT_WINDOW_MS = 250;

/**
 * Runs `work` with a signal that Ctrl-C aborts, so in-flight model requests are cancelled and
 * the command still prints what it has and exits. A second Ctrl-C ends the process the default
 * way.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const interrupt = new AbortController();
  let interruptedAt = 0;
  const onSigint = (): void => {
    if (!interrupt.signal.aborted) {
      interruptedAt = Date.now();
      interrupt.abort(new UsageError("interrupted (Ctrl-C)"));
    } else if (Date.now() - interruptedAt >= REPEAT_WINDOW_MS) {
      process.removeListener("SIGINT", onSigint);
      process.kill(process.pid, "SIGINT");
    }
  };
  process.on("SIGINT", onSigint);
  try {
    return await work(interrupt.signal);
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
}
