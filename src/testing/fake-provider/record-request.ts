import type { IncomingMessage } from "node:http";
import type { RecordedRequest } from "./recorded-request.js";
import { type Route, routeRequest } from "./route-request.js";

/** The body fields the server looks at. */
export interface BodyFields {
  model?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
}

export function bodyFieldsOf(body: unknown): BodyFields {
  return typeof body === "object" && body !== null ? (body as BodyFields) : {};
}

function parseBody(rawBody: string): unknown {
  if (rawBody === "") return undefined;
  try {
    return JSON.parse(rawBody);
  } catch {
    return rawBody;
  }
}

/** Describes a fully read request and finds its route. */
export function recordRequest(
  request: IncomingMessage,
  rawBody: string,
  time: number,
  sequence: number,
): { recorded: RecordedRequest; route: Route | undefined } {
  const target = request.url ?? "/";
  const queryStart = target.indexOf("?");
  const path = queryStart === -1 ? target : target.slice(0, queryStart);
  const query =
    queryStart === -1 ? {} : Object.fromEntries(new URLSearchParams(target.slice(queryStart + 1)));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const method = request.method ?? "GET";
  const route = routeRequest(method, path);
  const body = parseBody(rawBody);
  const fields = bodyFieldsOf(body);
  const recorded: RecordedRequest = {
    sequence,
    method,
    path,
    query,
    headers,
    body,
    time,
    provider: route?.provider,
    api: route?.api,
    model: route?.modelFromPath ?? (typeof fields.model === "string" ? fields.model : undefined),
    stream: route?.streamFromPath ?? fields.stream === true,
  };
  return { recorded, route };
}
