import type { ProviderShape, WireApi } from "./provider-shape.js";

export interface Route {
  provider: ProviderShape;
  api: WireApi;
  /** Gemini names the model and the streaming mode in the path; the others in the body. */
  modelFromPath: string | undefined;
  streamFromPath: boolean | undefined;
}

/** Path prefix of each provider shape on the server: the part of its `baseURL` after the host. */
export const basePathFor: Readonly<Record<ProviderShape, string>> = {
  openai: "/v1",
  anthropic: "/v1",
  google: "/v1beta",
  xai: "/xai/v1",
  "openai-compatible": "/compatible/v1",
};

const exactRoutes = new Map<string, Route>([
  ["/v1/responses", route("openai", "openai-responses")],
  ["/v1/chat/completions", route("openai", "openai-chat-completions")],
  ["/v1/messages", route("anthropic", "anthropic-messages")],
  ["/xai/v1/responses", route("xai", "openai-responses")],
  ["/xai/v1/chat/completions", route("xai", "openai-chat-completions")],
  ["/compatible/v1/chat/completions", route("openai-compatible", "openai-chat-completions")],
]);

function route(provider: ProviderShape, api: WireApi): Route {
  return { provider, api, modelFromPath: undefined, streamFromPath: undefined };
}

const geminiPath = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

/** The route for a POST, or `undefined` when the server has none for the path. */
export function routeRequest(method: string, path: string): Route | undefined {
  if (method !== "POST") return undefined;
  const exact = exactRoutes.get(path);
  if (exact !== undefined) return exact;
  const gemini = geminiPath.exec(path);
  if (gemini === null) return undefined;
  return {
    provider: "google",
    api: "gemini-generate-content",
    modelFromPath: decodeURIComponent(gemini[1] ?? ""),
    streamFromPath: gemini[2] === "streamGenerateContent",
  };
}

export const knownRoutes = [
  "POST /v1/responses",
  "POST /v1/chat/completions",
  "POST /v1/messages",
  "POST /v1beta/models/{model}:generateContent",
  "POST /v1beta/models/{model}:streamGenerateContent?alt=sse",
  "POST /xai/v1/responses",
  "POST /xai/v1/chat/completions",
  "POST /compatible/v1/chat/completions",
];
