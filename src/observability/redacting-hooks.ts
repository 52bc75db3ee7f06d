import type { IncomingMessage, ServerResponse } from "node:http";
import pino from "pino";
import type { Redactor } from "./redactor.js";

type Logger = pino.Logger;
type LogArguments = Parameters<pino.LogFn>;
type ChildOptions = pino.ChildLoggerOptions<never>;
type ChildMethod = (this: Logger, bindings: pino.Bindings, options?: ChildOptions) => Logger;
type SetBindingsMethod = (this: Logger, bindings: pino.Bindings) => void;

/** The pino hooks and wrappers of a redacting logger, all cleaning with one redactor. */
export interface RedactingHooks {
  /**
   * `hooks.logMethod`: every argument of a log call is redacted before pino sees it: the
   * merging object at any depth, an Error given first (which pino would otherwise read
   * `.message` from unredacted), the message template and each printf argument.
   */
  logMethod(this: Logger, args: LogArguments, method: pino.LogFn): void;
  /** `formatters.bindings` of the root logger: its base fields. */
  bindings(bindings: pino.Bindings): pino.Bindings;
  /** `serializers.err`. */
  serializeError(value: unknown): unknown;
  /**
   * Child bindings never reach the root's `formatters.bindings` (pino resets it for children),
   * so `child` and `setBindings` are wrapped on the root; children inherit the wrappers through
   * their prototype. What a child's options add (message prefix, serializers, formatters) is
   * redacted too.
   */
  wrapChildren(logger: Logger): void;
}

export function redactingHooks(redactor: Redactor): RedactingHooks {
  const redactPart = (part: unknown): unknown => redactor.value(part);
  const redactArguments = (args: readonly unknown[]): unknown[] => {
    const [first, ...rest] = args;
    if (first instanceof Error) return [{ err: redactor.value(first) }, ...rest.map(redactPart)];
    if (typeof first === "object" && first !== null) {
      return [redactor.value(mapHttpObject(first)), ...rest.map(redactPart)];
    }
    return args.map(redactPart);
  };
  const bindings = (values: pino.Bindings): pino.Bindings =>
    redactor.value(values) as pino.Bindings;

  const redactChildOptions = (options: ChildOptions): ChildOptions => {
    const copy: ChildOptions = { ...options };
    if (typeof options.msgPrefix === "string") copy.msgPrefix = redactor.text(options.msgPrefix);
    if (options.serializers) {
      const serializers: Record<string, pino.SerializerFn> = {};
      for (const [key, serialize] of Object.entries(options.serializers)) {
        serializers[key] = (value) => redactor.value(serialize(value));
      }
      copy.serializers = serializers;
    }
    if (options.formatters) {
      const { bindings: formatBindings, log } = options.formatters;
      copy.formatters = { ...options.formatters };
      if (formatBindings) copy.formatters.bindings = (value) => bindings(formatBindings(value));
      if (log) {
        copy.formatters.log = (value) => redactor.value(log(value)) as Record<string, unknown>;
      }
    }
    return copy;
  };

  return {
    logMethod(args, method) {
      method.apply(this, redactArguments(args) as LogArguments);
    },
    bindings,
    serializeError: (value) => redactor.value(value),
    wrapChildren(logger) {
      const child: ChildMethod = logger.child;
      const setBindings: SetBindingsMethod = logger.setBindings;
      const redactingChild: ChildMethod = function (values, options) {
        const redactedOptions = options === undefined ? undefined : redactChildOptions(options);
        return child.call(this, bindings(values), redactedOptions);
      };
      const redactingSetBindings: SetBindingsMethod = function (values) {
        setBindings.call(this, bindings(values));
      };
      Object.defineProperty(logger, "child", { value: redactingChild, writable: true });
      Object.defineProperty(logger, "setBindings", { value: redactingSetBindings, writable: true });
    },
  };
}

/**
 * pino turns a Node request or response given first into a small summary; do the same before
 * redacting, rather than deep-copying its socket.
 */
function mapHttpObject(value: object): object {
  if ("method" in value && "headers" in value && "socket" in value) {
    return pino.stdSerializers.mapHttpRequest(value as IncomingMessage);
  }
  if ("setHeader" in value && typeof value.setHeader === "function") {
    return pino.stdSerializers.mapHttpResponse(value as ServerResponse);
  }
  return value;
}
