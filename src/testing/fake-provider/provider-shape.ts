/**
 * The provider packages a fake server can stand in for. Each has its own base URL on the
 * server, so a test can script and count them separately.
 */
export type ProviderShape = "openai" | "anthropic" | "google" | "xai" | "openai-compatible";

export const providerShapes: readonly ProviderShape[] = [
  "openai",
  "anthropic",
  "google",
  "xai",
  "openai-compatible",
];

/** The HTTP APIs the server speaks; one provider shape may use more than one. */
export type WireApi =
  | "openai-chat-completions"
  | "openai-responses"
  | "anthropic-messages"
  | "gemini-generate-content";
