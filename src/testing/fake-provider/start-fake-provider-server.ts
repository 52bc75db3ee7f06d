import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Behaviour } from "./behaviour.js";
import { BehaviourScript } from "./behaviour-script.js";
import type { FakeProviderBaseURLs, FakeProviderServer } from "./fake-provider-server.js";
import {
  answerFailure,
  answerGeminiStreamWithoutSse,
  answerUnknownRoute,
} from "./plain-answers.js";
import { type ProviderShape, providerShapes } from "./provider-shape.js";
import { bodyFieldsOf, recordRequest } from "./record-request.js";
import type { RecordedRequest } from "./recorded-request.js";
import { basePathFor, type Route } from "./route-request.js";
import { serveBehaviour } from "./serve-behaviour.js";
import { wireFormatFor } from "./wire/wire-format-for.js";

export interface FakeProviderServerOptions {
  /** @defaultValue 0: a free port chosen by the system */
  port?: number;
  /**
   * Keep every request in `requests`. Turn it off for long benchmarks so memory stays flat;
   * behaviour functions still receive the request.
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

  // Nothing here logs or allocates beyond the request itself: benchmarks drive thousands of
  // requests a second through this handler.
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
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const { recorded, route } = recordRequest(request, rawBody, time, ++sequence);
      if (record) requests.push(recorded);
      dispatch(recorded, route, response).catch((error: unknown) => answerFailure(response, error));
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_error, socket) => socket.destroy());

  async function dispatch(
    recorded: RecordedRequest,
    route: Route | undefined,
    response: ServerResponse,
  ): Promise<void> {
    if (route === undefined) return answerUnknownRoute(recorded, response);
    const geminiStream = route.api === "gemini-generate-content" && recorded.stream;
    if (geminiStream && recorded.query.alt !== "sse") return answerGeminiStreamWithoutSse(response);
    await serveBehaviour(
      {
        request: recorded,
        route,
        wire: wireFormatFor(route.api),
        stream: recorded.stream,
        response,
        context: {
          provider: route.provider,
          model: recorded.model ?? "fake-model",
          includeUsage: bodyFieldsOf(recorded.body).stream_options?.include_usage === true,
          id: `fake${recorded.sequence.toString().padStart(6, "0")}`,
          created: Math.floor(recorded.time / 1000),
        },
      },
      script.next(route.provider),
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // Node's default backlog (511) drops connection attempts when a fan-out opens a thousand at
    // once, and the client retries them a second later (bench/fan-out.ts: 7.6× instead of 2.6×).
    server.listen({ port: options.port ?? 0, host: "127.0.0.1", backlog: 4096 }, () => {
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
        const socketsClosed = [...sockets].map(
          (socket) => new Promise((socketClosed) => socket.once("close", socketClosed)),
        );
        const serverClosed = new Promise((serverClosed) => server.close(serverClosed));
        for (const socket of sockets) socket.destroy();
        void Promise.all([serverClosed, ...socketsClosed]).then(() => resolve());
      });
      return closing;
    },
  };
}
