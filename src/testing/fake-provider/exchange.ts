import type { ServerResponse } from "node:http";
import type { RecordedRequest } from "./recorded-request.js";
import type { Route } from "./route-request.js";
import type { StreamFrames, WireContext, WireFormat } from "./wire/wire-format.js";

/** One request being answered. */
export interface Exchange {
  request: RecordedRequest;
  route: Route;
  wire: WireFormat;
  context: WireContext;
  stream: boolean;
  response: ServerResponse;
}

/** How a stream or body stops: normally, by dropping the connection, or by going silent. */
export type Ending = "end" | "cut" | "stall";

const streamHeaders = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
};

export function isOpen(exchange: Exchange): boolean {
  const { response } = exchange;
  return !response.destroyed && !response.writableEnded && response.socket !== null;
}

/** Resolves `true` after `ms`, or `false` as soon as the client goes away. */
export function wait(exchange: Exchange, ms: number): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(isOpen(exchange));
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      exchange.response.off("close", onClose);
      resolve(isOpen(exchange));
    }, ms);
    exchange.response.once("close", onClose);
  });
}

export function sendBody(
  exchange: Exchange,
  status: number,
  contentType: string,
  body: Buffer | string,
  headers: Readonly<Record<string, string>> | undefined,
  ending: Ending = "end",
): void {
  const { response } = exchange;
  response.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    ...headers,
  });
  if (ending === "end") {
    response.end(body);
    return;
  }
  const half = Buffer.from(body).subarray(0, Math.floor(Buffer.byteLength(body) / 2));
  response.write(half);
  finish(exchange, ending);
}

export interface StreamPlan {
  frames: StreamFrames;
  /** How many deltas to send; all when `undefined`. */
  deltaCount: number | undefined;
  /** What follows the deltas: the tail, an error event, or nothing. */
  closing: string;
  includeHead: boolean;
  ending: Ending;
  chunkDelayMs: number;
  headers: Readonly<Record<string, string>> | undefined;
}

export async function sendStream(exchange: Exchange, plan: StreamPlan): Promise<void> {
  const { response } = exchange;
  const head = plan.includeHead ? plan.frames.head : "";
  const deltas =
    plan.deltaCount === undefined
      ? plan.frames.deltas
      : plan.frames.deltas.slice(0, plan.deltaCount);
  response.writeHead(200, { ...streamHeaders, ...plan.headers });
  if (plan.chunkDelayMs <= 0) {
    const whole = head + deltas.join("") + plan.closing;
    if (plan.ending === "end") response.end(whole);
    else {
      response.write(whole);
      finish(exchange, plan.ending);
    }
    return;
  }
  response.flushHeaders();
  if (head !== "") response.write(head);
  for (const delta of deltas) {
    if (!(await wait(exchange, plan.chunkDelayMs))) return;
    response.write(delta);
  }
  if (plan.ending === "end") response.end(plan.closing);
  else {
    if (plan.closing !== "") response.write(plan.closing);
    finish(exchange, plan.ending);
  }
}

function finish(exchange: Exchange, ending: "cut" | "stall"): void {
  const { response } = exchange;
  response.flushHeaders();
  // destroySoon() flushes what was written, then closes: the client gets the partial body and
  // then a connection that ends without the last chunk — a dropped stream, not a clean end.
  if (ending === "cut") response.socket?.destroySoon();
}
