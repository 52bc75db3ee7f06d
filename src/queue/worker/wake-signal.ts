import type { Store, StoreSubscription } from "../../store/index.js";
import { onTasksReady, TASKS_CHANNEL } from "../tasks/ready-signal.js";

export interface WakeSignalOptions {
  store: Store;
  /** Only news about these queues wakes. */
  queues: readonly string[];
  /** How often an idle SQLite worker checks `data_version`, ms. */
  changeCheckMs: number;
}

/**
 * What wakes an idle worker before its poll timer: tasks made ready in this process (any
 * store), a NOTIFY from another process (PostgreSQL, through `store.listen`), or a commit by
 * another connection (SQLite, through `store.dataVersion`, checked every `changeCheckMs` while
 * waiting; one pragma, no query). All of them are hints: the worker's poll timer stays
 * underneath, so a lost notification only delays. A wake that arrives while the worker is busy
 * is kept, and the next `wait` returns at once.
 */
export class WakeSignal {
  readonly #options: WakeSignalOptions;
  readonly #queues: ReadonlySet<string>;
  #pending = false;
  #resolve: (() => void) | undefined;
  #stopLocal: (() => void) | undefined;
  #subscription: StoreSubscription | undefined;
  #dataVersion: number | undefined;
  #closed = false;

  constructor(options: WakeSignalOptions) {
    this.#options = options;
    this.#queues = new Set(options.queues);
  }

  /** Starts listening; a failure to LISTEN leaves the worker polling. */
  async open(): Promise<void> {
    const { store } = this.#options;
    this.#stopLocal = onTasksReady(store, (queue) => this.#hear(queue));
    if (store.listen) {
      try {
        this.#subscription = await store.listen(TASKS_CHANNEL, (queue) => this.#hear(queue));
      } catch {
        this.#subscription = undefined;
      }
    }
    this.#dataVersion = this.#readDataVersion();
  }

  /** Whether a LISTEN connection is up (PostgreSQL). */
  get listening(): boolean {
    return this.#subscription?.listening ?? false;
  }

  /** Wakes the waiter now (the worker is stopping, or knows there is work). */
  wake(): void {
    this.#pending = true;
    const resolve = this.#resolve;
    this.#resolve = undefined;
    resolve?.();
  }

  /** Resolves on a wake (`signal`), or after `timeoutMs` (`timeout`). */
  wait(timeoutMs: number): Promise<"signal" | "timeout"> {
    if (this.#pending || this.#closed) {
      this.#pending = false;
      return Promise.resolve("signal");
    }
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let check: ReturnType<typeof setInterval> | undefined;
      const done = (reason: "signal" | "timeout" = "signal") => {
        clearTimeout(timer);
        clearInterval(check);
        this.#pending = false;
        if (this.#resolve === done) this.#resolve = undefined;
        resolve(reason);
      };
      this.#resolve = done;
      timer = setTimeout(() => done("timeout"), timeoutMs);
      if (this.#options.store.dataVersion) {
        check = setInterval(() => {
          const version = this.#readDataVersion();
          if (version !== this.#dataVersion) {
            this.#dataVersion = version;
            done();
          }
        }, this.#options.changeCheckMs);
      }
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.wake();
    this.#stopLocal?.();
    await this.#subscription?.close();
  }

  #hear(queue: string | undefined): void {
    // undefined: the LISTEN connection came back, and news may have been missed.
    if (queue === undefined || this.#queues.has(queue)) this.wake();
  }

  #readDataVersion(): number | undefined {
    try {
      return this.#options.store.dataVersion?.();
    } catch {
      return undefined;
    }
  }
}
