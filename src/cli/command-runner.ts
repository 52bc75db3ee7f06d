import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";

/** A command's work: `(context, ...commanderArgs) => exit code` (undefined: 0). */
export type ActionBody<Args extends unknown[]> = (
  context: CliContext,
  ...args: Args
) => Promise<number | undefined>;

/**
 * Hands each command's action its context and collects its exit code. Commander's actions
 * return nothing useful, so the code travels through here.
 */
export class CommandRunner {
  private current: CliContext | undefined;
  exitCode = EXIT_OK;

  bind(context: CliContext): void {
    this.current = context;
  }

  get context(): CliContext | undefined {
    return this.current;
  }

  /** Wraps an action body that is already loaded. */
  action<Args extends unknown[]>(body: ActionBody<Args>): (...args: Args) => Promise<void> {
    return async (...args: Args) => {
      const context = this.current;
      if (!context) throw new Error("command ran before the CLI context was made");
      this.exitCode = (await body(context, ...args)) ?? EXIT_OK;
    };
  }

  /**
   * Wraps an action body that `load` imports when the command runs, so that building the
   * command tree (every start, `--version` and `--help` included) loads none of its code:
   * `runner.lazy(async () => (await import("./ask-action.js")).runAsk)`.
   */
  lazy<Args extends unknown[]>(
    load: () => Promise<ActionBody<Args>>,
  ): (...args: Args) => Promise<void> {
    return this.action(async (context, ...args: Args) => (await load())(context, ...args));
  }
}
