import { anthropicErrors } from "./fixtures/anthropic-errors.js";
import { googleErrors } from "./fixtures/google-errors.js";
import { openaiErrors } from "./fixtures/openai-errors.js";
import { xaiErrors } from "./fixtures/xai-errors.js";

/**
 * Ready-made provider errors as `error` behaviours, e.g.
 * `server.enqueueFor("anthropic", errors.anthropic.overloaded())` or
 * `errors.openai.rateLimit({ retryAfterSeconds: 2 })`.
 */
export const errors = {
  anthropic: anthropicErrors,
  openai: openaiErrors,
  google: googleErrors,
  xai: xaiErrors,
};
