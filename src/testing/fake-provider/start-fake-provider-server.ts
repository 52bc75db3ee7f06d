import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Behaviour } from "./behaviour.js";
import { BehaviourScript } from "./behaviour-script.js";
import type { Exchange } from "./exchange.js";
import type { FakeProviderBaseURLs, FakeProviderServer } from "./fake-provider-server.js";
import { type ProviderShape, providerShapes } from "./provider-shape.js";
import type { RecordedRequest } from "./recorded-request.js";
import { basePathFor, knownRoutes, routeRequest } from "./route-request.js";
import { serveBehaviour } from "./serve-behaviour.js";
import { wireFormatFor } from "./wire/wire-format-for.js";

export interface FakeProviderServerOptions {
  /** @defaultValue 0: a free port chosen by the system */
  port?: number;
  /**
   * Keep every request in `requests`. Turn it off for long benchmarks so memory stays flat;
   * function behaviours still receive the request.
   * @defaultValue true
   */
  record?: boolean;
}

/**
 * Starts a local HTTP server on 127.0.0.1 that answers like the OpenAI, Anthropic, Gemini and
 * xAI APIs (JSON and SSE) and can be scripted to fail. See `FakeProviderServer`.
 */
export async function startFakeProviderServer(
  options: FakeProviderServerOptions = {},
): Promise<FakeProviderServer> {
  const record = options.record ?? true;
  const script = new BehaviourScript();
  const sockets = new Set<Socket>();
  let requests: RecordedRequest[] = [];
  let sequence = 0;
  let inFlight = 0;
  let idCounter = 0;

  const server = createServer({ keepAliveTimeout: 10_000 }, (request, response) => {
    inFlight++;
    response.once("close", () => {
      inFlight--;
    });
    const time = Date.now();
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("error", () => {});
    request.on("end", () => {
      const recorded = recordRequest(request, Buffer.concat(chunks).toString("utf8"), time);
      dispatch(recorded, response).catch((error: unknown) => answerFailure(response, error));
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_error, socket) => socket.destroy());

  function recordRequest(request: IncomingMessage, rawBody: string, time: number): RecordedRequest {
    const target = request.url ?? "/";
    const queryStart = target.indexOf("?");
    const path = queryStart === -1 ? target : target.slice(0, queryStart);
    const query =
      queryStart === -1
        ? {}
        : Object.fromEntries(new URLSearchParams(target.slice(queryStart + 1)));
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    const method = request.method ?? "GET";
    const route = routeRequest(method, path);
    const body = parseBody(rawBody);
    const bodyFields = bodyFieldsOf(body);
    const recorded: RecordedRequest = {
      sequence: ++sequence,
      method,
      path,
      query,
      headers,
      body,
      time,
      provider: route?.provider,
      api: route?.api,
      model:
        route?.modelFromPath ??
        (typeof bodyFields.model === "string" ? bodyFields.model : undefined),
      stream: route?.streamFromPath ?? bodyFields.stream === true,
    };
    if (record) requests.push(recorded);
    return recorded;
  }

  async function dispatch(recorded: RecordedRequest, response: ServerResponse): Promise<void> {
    const route = routeRequest(recorded.method, recorded.path);
    if (route === undefined) {
      answerUnknownRoute(recorded, response);
      return;
    }
    if (
      route.api === "gemini-generate-content" &&
      recorded.stream &&
      recorded.query.alt !== "sse"
    ) {
      answerJson(response, 400, {
        error: {
          code: 400,
          message:
            "The fake provider server streams Gemini only as server-sent events: add ?alt=sse.",
          status: "INVALID_ARGUMENT",
        },
      });
      return;
    }
    const exchange: Exchange = {
      request: recorded,
      route,
      wire: wireFormatFor(route.api),
      stream: recorded.stream,
      response,
      context: {
        provider: route.provider,
        model: recorded.model ?? "fake-model",
        includeUsage: bodyFieldsOf(recorded.body).stream_options?.include_usage === true,
        id: `fake${(++idCounter).toString().padStart(6, "0")}`,
        created: Math.floor(recorded.time / 1000),
      },
    };
    await serveBehaviour(exchange, script.next(route.provider));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const baseURL = Object.fromEntries(
    providerShapes.map((shape) => [shape, `${url}${basePathFor[shape]}`]),
  ) as FakeProviderBaseURLs;
  let closing: Promise<void> | undefined;

  return {
    url,
    port,
    baseURL,
    get requests() {
      return requests;
    },
    requestsFor: (provider: ProviderShape) =>
      requests.filter((request) => request.provider === provider),
    enqueue: (...behaviours: Behaviour[]) => script.enqueue(undefined, behaviours),
    enqueueFor: (provider: ProviderShape, ...behaviours: Behaviour[]) =>
      script.enqueue(provider, behaviours),
    setDefault: (behaviour: Behaviour | undefined, provider?: ProviderShape) =>
      script.setDefault(provider, behaviour),
    queued: (provider?: ProviderShape) => script.queued(provider),
    reset() {
      requests = [];
      script.clear();
    },
    get openConnections() {
      return sockets.size;
    },
    get inFlight() {
      return inFlight;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

interface BodyFields {
  model?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
}

function bodyFieldsOf(body: unknown): BodyFields {
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

function answerJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

function answerUnknownRoute(recorded: RecordedRequest, response: ServerResponse): void {
  answerJson(response, 404, {
    error: {
      message: `The fake provider server has no route for ${recorded.method} ${recorded.path}. Routes: ${knownRoutes.join(", ")}. Point the provider's baseURL at server.baseURL[shape].`,
      type: "invalid_request_error",
      param: null,
      code: "unknown_route",
    },
  });
}

/** A behaviour function threw: say so in a 500 the test will see, never crash the server. */
function answerFailure(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  answerJson(response, 500, {
    error: {
      message: `The fake provider server failed to serve the behaviour: ${error instanceof Error ? error.message : String(error)}`,
      type: "fake_provider_server_error",
      param: null,
      code: null,
    },
  });
}
