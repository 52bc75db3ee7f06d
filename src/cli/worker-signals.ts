/** The signals that stop a worker or a supervisor. */
export const STOP_SIGNALS = ["SIGTERM", "SIGINT"] as const;

export type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * A signal this soon after the first is the same request arriving twice, not a second one: a
 * terminal's Ctrl-C reaches a supervisor and its workers (one process group) and the
 * supervisor forwards it too, and systemd's default KillMode signals every process of the unit.
 */
export const REPEAT_WINDOW_MS = 250;

export interface StopSignalHandlers {
  /** The first stop signal: stop gracefully. */
  first(signal: StopSignal): void;
  /** Another one, later than REPEAT_WINDOW_MS after the first: stop now. */
  again(signal: StopSignal): void;
}

/** Listens for SIGTERM and SIGINT until the returned function is called. */
export function onStopSignals(handlers: StopSignalHandlers): () => void {
  let firstAt: number | undefined;
  const listener = (signal: StopSignal): void => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      handlers.first(signal);
    } else if (Date.now() - firstAt >= REPEAT_WINDOW_MS) {
      handlers.again(signal);
    }
  };
  for (const signal of STOP_SIGNALS) process.on(signal, listener);
  return () => {
    for (const signal of STOP_SIGNALS) process.removeListener(signal, listener);
  };
}

/** The exit code of a process ended by `signal`, as shells report it: 128 + its number. */
export function signalExitCode(signal: StopSignal): number {
  return signal === "SIGINT" ? 130 : 143;
}
