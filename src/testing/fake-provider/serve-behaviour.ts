import type {
  Behaviour,
  ErrorBehaviour,
  InvalidJsonBehaviour,
  NotEventStreamBehaviour,
  PartialReply,
  ReplyBehaviour,
  StreamErrorBehaviour,
} from "./behaviour.js";
import { cachedBody } from "./body-cache.js";
import { defaultStreamErrorStatus, errorForStatus } from "./error-for-status.js";
import { type Ending, type Exchange, sendBody, sendStream, wait } from "./exchange.js";
import { resolveReply } from "./resolve-reply.js";

const jsonContentType = "application/json";
const maximumFunctionDepth = 16;

/** A JSON document cut off in the middle: what a truncating proxy or a crashed worker sends. */
const defaultInvalidJson = '{"id":"fake-truncated","object":"chat.completion","choices":[{"ind';

export async function serveBehaviour(exchange: Exchange, behaviour: Behaviour): Promise<void> {
  let current = behaviour;
  for (let depth = 0; typeof current === "function"; depth++) {
    if (depth === maximumFunctionDepth) {
      throw new Error(`behaviour functions returned functions ${maximumFunctionDepth} times`);
    }
    current = await current(exchange.request);
  }
  switch (current.kind) {
    case "reply":
      return serveReply(exchange, current);
    case "error":
      return serveError(exchange, current);
    case "hang":
      return;
    case "reset":
      exchange.response.socket?.resetAndDestroy();
      return;
    case "invalidJson":
      return serveInvalidJson(exchange, current);
    case "streamCut":
      return servePartial(exchange, current.reply, current.afterChunks, "cut");
    case "streamStall":
      return servePartial(exchange, current.reply, current.afterChunks, "stall");
    case "streamEndEarly":
      return serveEndEarly(exchange, current.reply, current.afterChunks);
    case "streamError":
      return serveStreamError(exchange, current);
    case "notEventStream":
      return serveNotEventStream(exchange, current);
    case "delay":
      if (await wait(exchange, current.ms)) await serveBehaviour(exchange, current.behaviour);
      return;
  }
}

function cacheKey(exchange: Exchange, variant: string): string {
  const { route, context, stream } = exchange;
  return `${variant}|${route.provider}|${route.api}|${context.model}|${stream}|${context.includeUsage}`;
}

async function serveReply(exchange: Exchange, behaviour: ReplyBehaviour): Promise<void> {
  if (behaviour.delayMs !== undefined && !(await wait(exchange, behaviour.delayMs))) return;
  const { wire, context } = exchange;
  const chunkDelayMs = behaviour.chunkDelayMs ?? 0;
  if (!exchange.stream) {
    const body = cachedBody(behaviour, cacheKey(exchange, "reply"), () =>
      wire.body(resolveReply(behaviour), context),
    );
    sendBody(exchange, 200, jsonContentType, body, behaviour.headers);
    return;
  }
  if (chunkDelayMs <= 0) {
    // The fast path: the whole stream is one precomputed buffer.
    const body = cachedBody(behaviour, cacheKey(exchange, "stream"), () => {
      const frames = wire.stream(resolveReply(behaviour), context);
      return frames.head + frames.deltas.join("") + frames.tail;
    });
    exchange.response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      ...behaviour.headers,
    });
    exchange.response.end(body);
    return;
  }
  const frames = wire.stream(resolveReply(behaviour), context);
  await sendStream(exchange, {
    frames,
    deltaCount: undefined,
    closing: frames.tail,
    includeHead: true,
    ending: "end",
    chunkDelayMs,
    headers: behaviour.headers,
  });
}

function errorBody(exchange: Exchange, behaviour: Omit<ErrorBehaviour, "kind">): unknown {
  return behaviour.body ?? errorForStatus(exchange.route.provider, behaviour.status).body;
}

function errorHeaders(
  exchange: Exchange,
  behaviour: Omit<ErrorBehaviour, "kind">,
): Readonly<Record<string, string>> | undefined {
  // A status-only error gets the fixture's headers too (request id, retry hints).
  if (behaviour.body !== undefined) return behaviour.headers;
  const fixture = errorForStatus(exchange.route.provider, behaviour.status);
  return { ...fixture.headers, ...behaviour.headers };
}

function serveError(exchange: Exchange, behaviour: Omit<ErrorBehaviour, "kind">): void {
  const body = cachedBody(behaviour, cacheKey(exchange, "error"), () => {
    const value = errorBody(exchange, behaviour);
    return typeof value === "string" ? value : JSON.stringify(value);
  });
  sendBody(exchange, behaviour.status, jsonContentType, body, errorHeaders(exchange, behaviour));
}

async function serveInvalidJson(
  exchange: Exchange,
  behaviour: InvalidJsonBehaviour,
): Promise<void> {
  const body = behaviour.body ?? defaultInvalidJson;
  if (!exchange.stream) {
    sendBody(exchange, 200, jsonContentType, body, undefined);
    return;
  }
  const frames = exchange.wire.stream(resolveReply(undefined), exchange.context);
  await sendStream(exchange, {
    frames,
    deltaCount: 0,
    closing: exchange.wire.rawEvent(body),
    includeHead: true,
    ending: "end",
    chunkDelayMs: 0,
    headers: undefined,
  });
}

async function servePartial(
  exchange: Exchange,
  reply: PartialReply | undefined,
  afterChunks: number,
  ending: Ending,
): Promise<void> {
  if (reply?.delayMs !== undefined && !(await wait(exchange, reply.delayMs))) return;
  const resolved = resolveReply(reply);
  if (!exchange.stream) {
    const body = exchange.wire.body(resolved, exchange.context);
    sendBody(exchange, 200, jsonContentType, body, reply?.headers, ending);
    return;
  }
  await sendStream(exchange, {
    frames: exchange.wire.stream(resolved, exchange.context),
    deltaCount: afterChunks,
    closing: "",
    includeHead: true,
    ending,
    chunkDelayMs: reply?.chunkDelayMs ?? 0,
    headers: reply?.headers,
  });
}

async function serveEndEarly(
  exchange: Exchange,
  reply: PartialReply | undefined,
  afterChunks: number,
): Promise<void> {
  if (reply?.delayMs !== undefined && !(await wait(exchange, reply.delayMs))) return;
  const resolved = resolveReply(reply);
  if (!exchange.stream) {
    const body = Buffer.from(exchange.wire.body(resolved, exchange.context));
    const half = body.subarray(0, Math.floor(body.length / 2));
    sendBody(exchange, 200, jsonContentType, half, reply?.headers);
    return;
  }
  await sendStream(exchange, {
    frames: exchange.wire.stream(resolved, exchange.context),
    deltaCount: afterChunks,
    closing: "",
    includeHead: true,
    ending: "end",
    chunkDelayMs: reply?.chunkDelayMs ?? 0,
    headers: reply?.headers,
  });
}

async function serveNotEventStream(
  exchange: Exchange,
  behaviour: NotEventStreamBehaviour,
): Promise<void> {
  const { reply } = behaviour;
  if (reply?.delayMs !== undefined && !(await wait(exchange, reply.delayMs))) return;
  const { body } = behaviour;
  if (typeof body === "string") {
    sendBody(exchange, 200, "text/plain; charset=utf-8", body, reply?.headers);
    return;
  }
  const json =
    body === undefined
      ? exchange.wire.body(resolveReply(reply), exchange.context)
      : JSON.stringify(body);
  sendBody(exchange, 200, jsonContentType, json, reply?.headers);
}

async function serveStreamError(
  exchange: Exchange,
  behaviour: StreamErrorBehaviour,
): Promise<void> {
  const error = behaviour.error ?? {
    status: defaultStreamErrorStatus(exchange.route.provider),
  };
  if (!exchange.stream) {
    serveError(exchange, error);
    return;
  }
  const { reply } = behaviour;
  if (reply?.delayMs !== undefined && !(await wait(exchange, reply.delayMs))) return;
  const description = { status: error.status, body: errorBody(exchange, error) };
  await sendStream(exchange, {
    frames: exchange.wire.stream(resolveReply(reply), exchange.context),
    deltaCount: behaviour.afterChunks ?? 0,
    closing: exchange.wire.streamError(description, exchange.context, behaviour.afterChunks),
    includeHead: behaviour.afterChunks !== undefined,
    ending: "end",
    chunkDelayMs: reply?.chunkDelayMs ?? 0,
    headers: reply?.headers,
  });
}
