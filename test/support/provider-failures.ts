import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogle } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { createXai } from "@ai-sdk/xai";

/** The providers whose real packages can be driven through a scripted fetch. */
export type HostedProvider = "openai" | "anthropic" | "google" | "xai" | "openai-compatible";

export interface ScriptedResponse {
  status: number;
  /** A JSON value (serialised) or the raw body text. */
  body: unknown;
  headers?: Record<string, string>;
}

const PROMPT = [{ role: "user" as const, content: [{ type: "text" as const, text: "hello" }] }];

/**
 * A language model of the real provider package whose every request is answered by `fetch`:
 * errors come out exactly as the provider builds them (its error schema, `data`, message,
 * retryability), with no network.
 */
export function scriptedModel(
  provider: HostedProvider,
  fetch: typeof globalThis.fetch,
): LanguageModelV4 {
  const settings = { apiKey: "test-key-not-secret", fetch };
  switch (provider) {
    case "openai":
      return createOpenAI(settings)("gpt-5");
    case "anthropic":
      return createAnthropic(settings)("claude-sonnet-4-5");
    case "google":
      return createGoogle(settings)("gemini-2.5-flash");
    case "xai":
      return createXai(settings)("grok-4");
    case "openai-compatible":
      return createOpenAICompatible({ name: "local", baseURL: "http://127.0.0.1:11434/v1", fetch })(
        "llama3",
      );
  }
}

/** What `doGenerate` throws when the provider answers `response`. */
export async function providerError(
  provider: HostedProvider,
  response: ScriptedResponse,
): Promise<unknown> {
  return generateError(scriptedModel(provider, async () => toResponse(response)));
}

/** What `doGenerate` throws when fetch itself throws `thrown` (undici's network errors). */
export async function fetchFailure(provider: HostedProvider, thrown: unknown): Promise<unknown> {
  return generateError(
    scriptedModel(provider, async () => {
      throw thrown;
    }),
  );
}

/**
 * The first `error` part of a streamed answer (the provider's own SSE `body`), or what
 * `doStream` threw when the provider raised the error before any output.
 */
export async function streamError(provider: HostedProvider, sseBody: string): Promise<unknown> {
  const model = scriptedModel(
    provider,
    async () =>
      new Response(sseBody, { status: 200, headers: { "content-type": "text/event-stream" } }),
  );
  try {
    const { stream } = await model.doStream({ prompt: PROMPT });
    for await (const part of stream) if (part.type === "error") return part.error;
  } catch (error) {
    return error;
  }
  throw new Error(`${provider} streamed no error part`);
}

/** An `event: ... data: ...` SSE body from JSON events. */
export function sse(events: readonly { event?: string; data: unknown }[]): string {
  return events
    .map(
      ({ event, data }) =>
        `${event === undefined ? "" : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`,
    )
    .join("");
}

/** What `doGenerate` throws, with a one-message prompt and any extra call options. */
export async function generateError(
  model: LanguageModelV4,
  options: { abortSignal?: AbortSignal } = {},
): Promise<unknown> {
  try {
    await model.doGenerate({ prompt: PROMPT, ...options });
  } catch (error) {
    return error;
  }
  throw new Error(`${model.provider} answered without an error`);
}

function toResponse({ status, body, headers }: ScriptedResponse): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}
