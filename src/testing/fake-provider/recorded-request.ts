import type { ProviderShape, WireApi } from "./provider-shape.js";

/** One request as the fake server received it. */
export interface RecordedRequest {
  /** Arrival order on this server, from 1; survives `reset()` so numbers never repeat. */
  sequence: number;
  method: string;
  /** Path without the query string, e.g. `/v1beta/models/gemini-2.5-flash:generateContent`. */
  path: string;
  query: Record<string, string>;
  /**
   * Header names in lower case, values as they arrived — including `authorization`,
   * `x-api-key` and `x-goog-api-key`, so tests can assert that keys are sent. Nothing leaves the
   * process, which is why a fake may keep them.
   */
  headers: Record<string, string>;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** `Date.now()` when the request arrived. */
  time: number;
  /** `undefined` when no route matched (the server answered 404). */
  provider: ProviderShape | undefined;
  api: WireApi | undefined;
  /** From the body (`model`) or, for Gemini, from the path. */
  model: string | undefined;
  stream: boolean;
}
