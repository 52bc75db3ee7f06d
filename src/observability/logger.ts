import { hostname } from "node:os";
import { isatty } from "node:tty";
import pino from "pino";
import { UsageError } from "../errors/index.js";
import { isLogLevel, LOGGER_LEVELS, type LogLevel } from "./log-level.js";
import { createPrettyStream, type TextDestination } from "./pretty-stream.js";
import { redactingHooks } from "./redacting-hooks.js";
import { createRedactor } from "./redactor.js";
import { redactJsonLine } from "./secret-patterns.js";

export type { LogLevel };

/** A pino logger whose every output path is redacted (see `createLogger`). */
export type Logger = pino.Logger;

export interface LoggerOptions {
  /**
   * Lowest level written.
   * @defaultValue the `LOG_LEVEL` environment variable, else `"info"`
   */
  level?: LogLevel;
  /**
   * Human-readable lines instead of JSON.
   * @defaultValue whether the destination is a terminal
   */
  pretty?: boolean;
  /**
   * A stream or a file descriptor. Logs go to stderr so that stdout stays clean for `--json`.
   * @defaultValue 2 (stderr)
   */
  destination?: NodeJS.WritableStream | number;
  /** Fields on every line (redacted like everything else). */
  bindings?: Record<string, unknown>;
  /**
   * Exact values never to write, whatever their shape, on top of the secret patterns: pass
   * `LoadedConfig.secrets` (API keys, header values, values of `${VAR}`). Values shorter than
   * 8 characters are left to the patterns.
   */
  secrets?: readonly string[];
}

const STDERR = 2;

/** How log lines are written: pino's JSON lines, or one human-readable line per record. */
export type LogFormat = "json" | "pretty";

const LOG_FORMATS: readonly LogFormat[] = ["json", "pretty"];

/**
 * The `LOG_FORMAT` environment variable: `json` or `pretty`, undefined when unset. Anything
 * else is an error that names the variable and its values.
 */
export function parseLogFormat(text: string | undefined): LogFormat | undefined {
  const value = text?.trim().toLowerCase();
  if (value === undefined || value === "") return undefined;
  if ((LOG_FORMATS as readonly string[]).includes(value)) return value as LogFormat;
  throw new UsageError(`LOG_FORMAT=${text} is not a log format`, {
    hint: `Set LOG_FORMAT to one of: ${LOG_FORMATS.join(", ")}, or unset it.`,
  });
}

/**
 * A pino logger that never writes a secret: nothing shaped like one, and none of the exact
 * `secrets` it was given. Redaction covers every path into the output:
 * - the log call's arguments (message, printf arguments, merged objects at any depth, Errors
 *   with stack, cause chain and own fields) in `hooks.logMethod`;
 * - base bindings in `formatters.bindings`, child bindings, `setBindings` and child options
 *   through wrappers on the root logger;
 * - `err` values in `serializers.err`;
 * - and, last, each finished JSON line in `hooks.streamWrite`, which also feeds pretty output.
 * pino's own `redact` option is not used: it only knows fixed paths.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? STDERR;
  const terminal = isTerminal(destination);
  const { level, rejectedLevel } = resolveLevel(options.level);
  const pretty = options.pretty ?? terminal;
  const output = openDestination(destination);
  const hooks = redactingHooks(createRedactor(options.secrets));
  const logger = pino(
    {
      level,
      base: { pid: process.pid, hostname: hostname(), ...options.bindings },
      formatters: { bindings: hooks.bindings },
      serializers: { err: hooks.serializeError },
      hooks: { logMethod: hooks.logMethod, streamWrite: redactJsonLine },
    },
    pretty
      ? createPrettyStream(output, { colorize: terminal && process.env.NO_COLOR === undefined })
      : output,
  );
  hooks.wrapChildren(logger);
  if (rejectedLevel !== undefined) {
    logger.warn(
      "LOG_LEVEL=%s is not a log level; using %s. Use one of: %s.",
      rejectedLevel,
      level,
      LOGGER_LEVELS.join(", "),
    );
  }
  return logger;
}

function resolveLevel(option: LogLevel | undefined): {
  level: LogLevel;
  rejectedLevel?: string;
} {
  if (option !== undefined) {
    if (!isLogLevel(option)) {
      throw new TypeError(`Unknown log level "${String(option)}"; use one of ${LOGGER_LEVELS}.`);
    }
    return { level: option };
  }
  const fromEnvironment = process.env.LOG_LEVEL?.trim().toLowerCase();
  if (fromEnvironment === undefined || fromEnvironment === "") return { level: "info" };
  if (isLogLevel(fromEnvironment)) return { level: fromEnvironment };
  return { level: "info", rejectedLevel: fromEnvironment };
}

function isTerminal(destination: NodeJS.WritableStream | number): boolean {
  if (typeof destination === "number") return isatty(destination);
  return (destination as { isTTY?: unknown }).isTTY === true;
}

/**
 * A file descriptor is written synchronously. pino's default (an asynchronous SonicBoom)
 * buffers lines in memory and the CLI often exits right after its last log line, which would
 * lose them; log volume on stderr is small, so blocking writes cost little.
 */
function openDestination(destination: NodeJS.WritableStream | number): TextDestination {
  if (typeof destination === "number") return pino.destination({ fd: destination, sync: true });
  return destination;
}
