import { CommanderError } from "commander";
import { OrkestraError, UsageError } from "../errors/index.js";
// The redaction files themselves, not observability's index: that one brings the logger (pino)
// into every start, --version included.
import { redactSecrets } from "../observability/redact.js";
import { redactValue } from "../observability/redact-value.js";
import type { CliContext } from "./cli-context.js";

const UNEXPECTED_HINT =
  "Run again with LOG_LEVEL=debug for the stack trace, and report it if it persists.";

/**
 * The error as one JSON value, secrets removed: an Orkestra error's own `toJSON` (which always
 * has `name`, `code`, `message`, `retryable` and `hint`), and the same fields for anything else.
 */
export function errorDocument(error: unknown): Record<string, unknown> {
  if (OrkestraError.isInstance(error))
    return redactValue(error.toJSON()) as Record<string, unknown>;
  const message = error instanceof Error ? error.message : String(error);
  return {
    name: error instanceof Error ? error.name : "Error",
    code: "internal",
    message: redactSecrets(message),
    retryable: false,
    hint: UNEXPECTED_HINT,
  };
}

/**
 * Tells the user what went wrong: one JSON document on stdout with --json, otherwise a message
 * and a hint on stderr. Unexpected errors keep their stack for LOG_LEVEL=debug.
 */
export function reportError(context: CliContext, error: unknown): void {
  if (error instanceof CommanderError) {
    // Commander already printed its own message to stderr, except in --json mode (program.ts).
    if (context.options.json) {
      // A command group run without its subcommand shows help and says only "(outputHelp)".
      const message =
        error.code === "commander.help"
          ? "missing command: this command needs one of its subcommands"
          : error.message.replace(/^error: /, "");
      const usage = new UsageError(message, {
        cause: error,
        hint: "Run orkestra --help, or orkestra <command> --help, for usage.",
      });
      context.printJson({ success: false, error: errorDocument(usage) });
    }
    return;
  }
  if (context.options.json) {
    context.printJson({ success: false, error: errorDocument(error) });
    return;
  }
  const stderr = context.io.stderr;
  if (OrkestraError.isInstance(error)) {
    stderr.write(`orkestra: ${redactSecrets(error.message)}\n`);
    if (error.hint) stderr.write(`  ${redactSecrets(error.hint)}\n`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`orkestra: unexpected error: ${redactSecrets(message)}\n`);
  if (context.io.env.LOG_LEVEL === "debug" || context.io.env.LOG_LEVEL === "trace") {
    if (error instanceof Error && error.stack) stderr.write(`${redactSecrets(error.stack)}\n`);
  } else {
    stderr.write(`  ${UNEXPECTED_HINT}\n`);
  }
}
