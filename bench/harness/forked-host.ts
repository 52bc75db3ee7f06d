import { fork } from "node:child_process";

/** A benchmark host process: answers one order at a time over IPC. */
export interface ForkedHost<Order, Reply> {
  /** Sends `order` and waits for its reply; a `failed` reply or an exit rejects. */
  ask(order: Order): Promise<Reply>;
  /** Disconnects and waits for the process to exit. */
  close(): Promise<void>;
}

/**
 * Starts `script` under the same Node with tsx and --expose-gc. Its own execArgv: flags given
 * to the benchmark stay there; profile the hosts with SIDE_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=…".
 */
export function forkHost<Order, Reply extends { type: string }>(
  script: URL,
  label: string,
): ForkedHost<Order, Reply> {
  const extra = (process.env.SIDE_NODE_OPTIONS ?? "").split(" ").filter((flag) => flag !== "");
  const child = fork(script, {
    execArgv: ["--expose-gc", "--import", "tsx", ...extra],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return {
    ask: (order) =>
      new Promise((resolve, reject) => {
        const onMessage = (message: Reply & { message?: string }): void => {
          child.off("exit", onExit);
          if (message.type === "failed") reject(new Error(`${label}: ${message.message}`));
          else resolve(message);
        };
        const onExit = (code: number | null): void => {
          child.off("message", onMessage);
          reject(new Error(`${label}: the side process exited (code ${code})`));
        };
        child.once("message", onMessage);
        child.once("exit", onExit);
        child.send(order as object);
      }),
    close() {
      if (child.exitCode !== null) return Promise.resolve();
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.disconnect();
      return exited;
    },
  };
}
