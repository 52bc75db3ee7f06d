import { UsageError } from "../errors/index.js";

/**
 * Runs `work` with a signal that Ctrl-C aborts, so in-flight model requests are cancelled and
 * the command still prints what it has and exits. A second Ctrl-C finds no listener and ends
 * the process the default way.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const interrupt = new AbortController();
  const onSigint = (): void => interrupt.abort(new UsageError("interrupted (Ctrl-C)"));
  process.once("SIGINT", onSigint);
  try {
    return await work(interrupt.signal);
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
}
