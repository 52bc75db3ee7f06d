import { userInfo } from "node:os";
import type { LoadedConfig } from "../config/index.js";
import type { Gateway } from "../models/index.js";
import type { Logger } from "../observability/index.js";
import type { Store } from "../store/index.js";
import type { CliIo } from "./cli-io.js";

/** Options every command accepts, before its own. */
export interface GlobalOptions {
  /** Path given with --config; otherwise ./orkestra.yaml when present. */
  config?: string;
  /** Print exactly one JSON document on stdout; logs stay on stderr. */
  json: boolean;
  /** Only warnings and errors on stderr; no progress lines. */
  quiet: boolean;
}

/**
 * What one CLI invocation shares between its parts. Configuration, store and logger are made
 * on first use, so `orkestra --help` or `config schema` never touch the disk or the database;
 * their code is imported then too, so that a command loads only the layers it uses.
 */
export class CliContext {
  readonly io: CliIo;
  readonly options: GlobalOptions;
  private loadedConfig: Promise<LoadedConfig> | undefined;
  private openedStore: Promise<Store> | undefined;
  private madeLogger: Promise<Logger> | undefined;
  private madeGateway: Promise<Gateway> | undefined;

  constructor(io: CliIo, options: GlobalOptions) {
    this.io = io;
    this.options = options;
  }

  /** Who the audit trail records for actions taken from this command line. */
  get actor(): string {
    let name = this.io.env.USER ?? "unknown";
    try {
      name = userInfo().username;
    } catch {
      // No passwd entry (some containers): keep $USER.
    }
    return `cli:${name}`;
  }

  config(): Promise<LoadedConfig> {
    this.loadedConfig ??= import("../config/index.js").then(({ loadConfig }) =>
      loadConfig({ configPath: this.options.config, cwd: this.io.cwd, env: this.io.env }),
    );
    return this.loadedConfig;
  }

  store(): Promise<Store> {
    this.openedStore ??= (async () => {
      const [{ storeUrl }, { openOrkestraStore }] = await Promise.all([
        this.config(),
        import("../store-schema.js"),
      ]);
      return openOrkestraStore(storeUrl);
    })();
    return this.openedStore;
  }

  /** The logger, at the configured level (or `warn` with --quiet), writing to stderr. */
  logger(): Promise<Logger> {
    this.madeLogger ??= (async () => {
      const [{ config, secrets }, { createLogger, parseLogFormat }] = await Promise.all([
        this.config(),
        import("../observability/index.js"),
      ]);
      // Human output gets human log lines, on a terminal or not: JSON lines interleaved with a
      // table read as noise. JSON with --json, or when LOG_FORMAT=json asks for it.
      const format =
        parseLogFormat(this.io.env.LOG_FORMAT) ?? (this.options.json ? "json" : "pretty");
      return createLogger({
        level: this.options.quiet ? "warn" : config.log.level,
        destination: this.io.stderr,
        pretty: format === "pretty",
        secrets,
      });
    })();
    return this.madeLogger;
  }

  /** The model gateway on this invocation's configuration, store and logger; closed with the context. */
  gateway(): Promise<Gateway> {
    this.madeGateway ??= (async () => {
      const loaded = await this.config();
      const { createOrkestraGateway } = await import("../orkestra.js");
      return createOrkestraGateway(loaded, {
        store: await this.store(),
        logger: await this.logger(),
        env: this.io.env,
        actor: this.actor,
      });
    })();
    return this.madeGateway;
  }

  /** Human output on stdout; suppressed in --json mode, where `printJson` speaks instead. */
  print(text: string): void {
    if (!this.options.json) this.io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** Progress and notes for people, on stderr; silent with --quiet or --json. */
  note(text: string): void {
    if (!this.options.quiet && !this.options.json) this.io.stderr.write(`${text}\n`);
  }

  printJson(document: unknown): void {
    this.io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  }

  async close(): Promise<void> {
    // The gateway first: it flushes ledger rows and audit events into the store.
    const gateway = this.madeGateway;
    this.madeGateway = undefined;
    if (gateway) await (await gateway.catch(() => undefined))?.close();
    const store = this.openedStore;
    this.openedStore = undefined;
    if (store) await (await store.catch(() => undefined))?.close();
  }
}
