import { InvalidResponseDataError, type LanguageModelV4StreamPart } from "@ai-sdk/provider";

type FinishPart = Extract<LanguageModelV4StreamPart, { type: "finish" }>;

/**
 * Whether a `finish` part stands for the provider's own finish event. The provider packages
 * emit a `finish` part from their stream's flush, so one arrives even when the connection
 * closed cleanly before the provider said it was done; what it lacks then is the provider's
 * finish reason, which only the terminal event carries (OpenAI's `finish_reason` chunk,
 * Anthropic's `message_delta`/`message_stop`, Gemini's `finishReason`, the Responses API's
 * `response.completed`). The packages mark the gap differently — @ai-sdk/openai, anthropic and
 * google as `interrupted`, @ai-sdk/xai as `other` with zero usage, @ai-sdk/openai-compatible
 * with an `error` part first — but in every one `raw` stays undefined.
 */
export function isProviderFinish(part: FinishPart): boolean {
  const { unified, raw } = part.finishReason;
  return raw !== undefined && unified !== "interrupted" && unified !== "error";
}

/**
 * A stream that ended cleanly without the provider's finish event: the body was cut short
 * but well formed, so it is a `parse` failure (like a truncated JSON body), not a connection
 * fault — and it is one whether or not the package noticed (see {@link isProviderFinish}).
 */
export function streamEndedEarly(): InvalidResponseDataError {
  return new InvalidResponseDataError({
    data: undefined,
    message: "the stream ended before the provider's finish event (the server closed it cleanly)",
  });
}

/**
 * The failure of a 200 answer to a stream request that is not an event stream (a server that
 * ignored `stream: true`, a proxy's page); undefined when it is one, or may be: an unknown
 * type (a provider that reports no headers, like the simulated one) gets the benefit of the
 * doubt. The gateway blames it only when nothing usable came out of the body, so a server that
 * sends a good stream under the wrong type still works.
 */
export function notEventStream(
  contentType: string | undefined,
  alias: string,
): InvalidResponseDataError | undefined {
  if (contentType === undefined || /^\s*text\/event-stream\b/i.test(contentType)) return undefined;
  return new InvalidResponseDataError({
    data: { contentType },
    message: `the server answered the stream request with a 200 ${contentType} body, not an event stream (text/event-stream); check that models.${alias}.baseURL points at the provider's API`,
  });
}
