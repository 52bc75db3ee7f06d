import type { IncomingMessage, ServerResponse } from "node:http";
import pino from "pino";
import { redactSecrets } from "./redact.js";
import { redactValue } from "./redact-value.js";

type Logger = pino.Logger;
type LogArguments = Parameters<pino.LogFn>;
type ChildOptions = pino.ChildLoggerOptions<never>;
type ChildMethod = (this: Logger, bindings: pino.Bindings, options?: ChildOptions) => Logger;
type SetBindingsMethod = (this: Logger, bindings: pino.Bindings) => void;

/**
 * `hooks.logMethod`: every argument of a log call is redacted before pino sees it: the merging
 * object at any depth, an Error given first (which pino would otherwise read `.message` from
 * unredacted), the message template and each printf argument.
 */
export function redactLogMethod(this: Logger, args: LogArguments, method: pino.LogFn): void {
  method.apply(this, redactLogArguments(args) as LogArguments);
}

export function redactLogArguments(args: readonly unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (first instanceof Error) return [{ err: redactValue(first) }, ...rest.map(redactPart)];
  if (typeof first === "object" && first !== null) {
    return [redactValue(mapHttpObject(first)), ...rest.map(redactPart)];
  }
  return args.map(redactPart);
}

/** Not `map(redactValue)`: its second parameter would receive the index. */
function redactPart(part: unknown): unknown {
  return redactValue(part);
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

/** `formatters.bindings` of the root logger: its base fields. */
export function redactBindings(bindings: pino.Bindings): pino.Bindings {
  return redactValue(bindings) as pino.Bindings;
}

/**
 * Child bindings never reach the root's `formatters.bindings` (pino resets it for children),
 * so `child` and `setBindings` are wrapped on the root; children inherit the wrappers through
 * their prototype. What a child's options add (message prefix, serializers, formatters) is
 * redacted too.
 */
export function redactChildBindings(logger: Logger): void {
  const child: ChildMethod = logger.child;
  const setBindings: SetBindingsMethod = logger.setBindings;
  const redactingChild: ChildMethod = function (bindings, options) {
    const redactedOptions = options === undefined ? undefined : redactChildOptions(options);
    return child.call(this, redactBindings(bindings), redactedOptions);
  };
  const redactingSetBindings: SetBindingsMethod = function (bindings) {
    setBindings.call(this, redactBindings(bindings));
  };
  Object.defineProperty(logger, "child", { value: redactingChild, writable: true });
  Object.defineProperty(logger, "setBindings", { value: redactingSetBindings, writable: true });
}

function redactChildOptions(options: ChildOptions): ChildOptions {
  const copy: ChildOptions = { ...options };
  if (typeof options.msgPrefix === "string") copy.msgPrefix = redactSecrets(options.msgPrefix);
  if (options.serializers) {
    const serializers: Record<string, pino.SerializerFn> = {};
    for (const [key, serialize] of Object.entries(options.serializers)) {
      serializers[key] = (value) => redactValue(serialize(value));
    }
    copy.serializers = serializers;
  }
  if (options.formatters) {
    const { bindings, log } = options.formatters;
    copy.formatters = { ...options.formatters };
    if (bindings) copy.formatters.bindings = (value) => redactBindings(bindings(value));
    if (log) copy.formatters.log = (value) => redactValue(log(value)) as Record<string, unknown>;
  }
  return copy;
}
