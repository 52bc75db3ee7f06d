/**
 * Test helpers shipped as `orkestra/testing`. A fake model-provider server on 127.0.0.1 that
 * speaks the OpenAI, Anthropic, Gemini and xAI wire formats and can be scripted to fail:
 *
 * ```ts
 * const server = await startFakeProviderServer();
 * server.enqueueFor("anthropic", errors.anthropic.overloaded(), { kind: "reply", text: "ok" });
 * const model = fakeModel(server, "anthropic", "claude-sonnet-4-5");
 * // …or createAnthropic({ baseURL: server.baseURL.anthropic, apiKey: "test" })
 * expect(server.requestsFor("anthropic")).toHaveLength(2);
 * await server.close();
 * ```
 */
export type {
  Behaviour,
  BehaviourFunction,
  DelayBehaviour,
  ErrorBehaviour,
  HangBehaviour,
  InvalidJsonBehaviour,
  NotEventStreamBehaviour,
  PartialReply,
  ReplyBehaviour,
  ResetBehaviour,
  StreamCutBehaviour,
  StreamEndEarlyBehaviour,
  StreamErrorBehaviour,
  StreamStallBehaviour,
} from "./fake-provider/behaviour.js";
export { defaultReplyText } from "./fake-provider/behaviour.js";
export {
  type CollectedStream,
  collectStreamParts,
} from "./fake-provider/collect-stream-parts.js";
export { errors } from "./fake-provider/errors.js";
export { type FakeModelOptions, fakeModel } from "./fake-provider/fake-model.js";
export type {
  FakeProviderBaseURLs,
  FakeProviderServer,
} from "./fake-provider/fake-provider-server.js";
export type { ErrorFixtureOptions } from "./fake-provider/fixtures/error-fixture-options.js";
export {
  type ProviderShape,
  providerShapes,
  type WireApi,
} from "./fake-provider/provider-shape.js";
export type { RecordedRequest } from "./fake-provider/recorded-request.js";
export type { ReplyUsage } from "./fake-provider/reply-usage.js";
export {
  type FakeProviderServerOptions,
  startFakeProviderServer,
} from "./fake-provider/start-fake-provider-server.js";
