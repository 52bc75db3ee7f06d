import type { ModelRequest } from "./call/model-request.js";
import type { FanOutOutcome, Gateway } from "./gateway.js";

export type AskOptions = Omit<ModelRequest, "model" | "prompt"> & {
  /** Models or fallback chains to ask, concurrently. @defaultValue the first configured model */
  models?: readonly string[];
};

export type AskOutcome = FanOutOutcome;

/**
 * What `orkestra ask` does: the same prompt to several models at once, with partial success.
 * Each model may itself be a fallback chain, and `fallback` extends every one of them.
 */
export function ask(
  gateway: Gateway,
  prompt: string,
  options: AskOptions = {},
): Promise<AskOutcome> {
  const { models, ...request } = options;
  const chosen = models && models.length > 0 ? models : gateway.models.slice(0, 1);
  return gateway.fanOut(chosen, { ...request, prompt });
}
