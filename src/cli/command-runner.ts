import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";

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

  /** Wraps an action body: `(context, ...commanderArgs) => exit code`. */
  action<Args extends unknown[]>(
    body: (context: CliContext, ...args: Args) => Promise<number | undefined>,
  ): (...args: Args) => Promise<void> {
    return async (...args: Args) => {
      const context = this.current;
      if (!context) throw new Error("command ran before the CLI context was made");
      this.exitCode = (await body(context, ...args)) ?? EXIT_OK;
    };
  }
}
