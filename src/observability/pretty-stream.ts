import { createRequire } from "node:module";
import type PinoPretty from "pino-pretty";

/**
 * pino-pretty (29 modules) loaded on the first pretty line, not with the logger: most commands
 * write no log line at all. It is CommonJS, so `require` loads it synchronously, and a line is
 * still written before the log call returns.
 */
let loadedPrettyFactory: typeof PinoPretty.prettyFactory | undefined;

function prettyFactory(): typeof PinoPretty.prettyFactory {
  loadedPrettyFactory ??= (createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty)
    .prettyFactory;
  return loadedPrettyFactory;
}

/** Where pretty text goes: anything with a synchronous-enough `write`. */
export interface TextDestination {
  write(text: string): unknown;
}

export interface PrettyStreamOptions {
  /** Colour the level and the model alias. */
  colorize: boolean;
}

/**
 * A pino destination that turns each JSON line into pretty text and writes it straight on.
 * pino-pretty's own stream is a Transform (or a worker transport), which buffers: a CLI that
 * exits right after logging would lose the last lines. `prettyFactory` is a plain function,
 * so here every line is written before the log call returns.
 */
export function createPrettyStream(
  destination: TextDestination,
  options: PrettyStreamOptions,
): { write(line: string): void } {
  let prettify: ((line: string) => string) | undefined;
  return {
    write(line: string): void {
      prettify ??= prettyFactory()({
        colorize: options.colorize,
        translateTime: "SYS:HH:MM:ss.l",
        // One line per record: the CLI interleaves logs with its own output on a terminal or
        // a pipe.
        singleLine: true,
        // The alias is already in the message prefix.
        ignore: "pid,hostname,model",
        messageFormat: prefixModelAlias,
      });
      const text = prettify(line);
      if (text) destination.write(text);
    },
  };
}

/** `[alias] message` for lines of a model call, the bare message otherwise. */
export const prefixModelAlias: PinoPretty.MessageFormatFunc = (log, messageKey, _level, extras) => {
  const message = log[messageKey];
  const text = message === undefined || message === null ? "" : String(message);
  const model = log.model;
  if (model === undefined || model === null || model === "") return text;
  const prefix = extras.colors.cyan(`[${String(model)}]`);
  return text === "" ? prefix : `${prefix} ${text}`;
};
