import type { Behaviour } from "./behaviour.js";
import type { ProviderShape } from "./provider-shape.js";
import type { RecordedRequest } from "./recorded-request.js";

/**
 * Base URL per provider shape, ready for the provider packages' `baseURL` option. What each
 * package appends:
 * - `openai` `${url}/v1`: `/responses` (the default model of @ai-sdk/openai v4),
 *   `/chat/completions` (`.chat()`)
 * - `anthropic` `${url}/v1`: `/messages`
 * - `google` `${url}/v1beta`: `/models/{model}:generateContent`,
 *   `/models/{model}:streamGenerateContent?alt=sse`
 * - `xai` `${url}/xai/v1`: `/responses` (@ai-sdk/xai v5 has no chat model)
 * - `openai-compatible` `${url}/compatible/v1`: `/chat/completions`
 */
export type FakeProviderBaseURLs = Readonly<Record<ProviderShape, string>>;

export interface FakeProviderServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly baseURL: FakeProviderBaseURLs;

  /** Every request since start or the last `reset()`, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  requestsFor(provider: ProviderShape): RecordedRequest[];

  /** Queue behaviours for any provider; each request takes one, first in first out. */
  enqueue(...behaviours: Behaviour[]): void;
  /** Queue behaviours for one provider; they go before the shared queue. */
  enqueueFor(provider: ProviderShape, ...behaviours: Behaviour[]): void;
  /**
   * What answers when the queues are empty, for one provider or (without `provider`) for all.
   * `undefined` restores the normal reply.
   */
  setDefault(behaviour: Behaviour | undefined, provider?: ProviderShape): void;
  /** Behaviours still queued, for one provider or in all queues together. */
  queued(provider?: ProviderShape): number;
  /** Forget recorded requests, queues and defaults. */
  reset(): void;

  /** Open TCP connections, idle keep-alive ones included. */
  readonly openConnections: number;
  /** Requests received and not yet answered or abandoned. */
  readonly inFlight: number;

  /** Stop listening and destroy every connection at once, hanging ones included. */
  close(): Promise<void>;
}
