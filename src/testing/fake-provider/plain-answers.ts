import type { ServerResponse } from "node:http";
import type { RecordedRequest } from "./recorded-request.js";
import { knownRoutes } from "./route-request.js";

export function answerJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

export function answerUnknownRoute(recorded: RecordedRequest, response: ServerResponse): void {
  answerJson(response, 404, {
    error: {
      message: `The fake provider server has no route for ${recorded.method} ${recorded.path}. Routes: ${knownRoutes.join(", ")}. Point the provider's baseURL at server.baseURL[shape].`,
      type: "invalid_request_error",
      param: null,
      code: "unknown_route",
    },
  });
}

export function answerGeminiStreamWithoutSse(response: ServerResponse): void {
  answerJson(response, 400, {
    error: {
      code: 400,
      message: "The fake provider server streams Gemini only as server-sent events: add ?alt=sse.",
      status: "INVALID_ARGUMENT",
    },
  });
}

/** A behaviour function threw: say so in a 500 the test will see, never crash the server. */
export function answerFailure(response: ServerResponse, error: unknown): void {
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
