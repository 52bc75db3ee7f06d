import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogle } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { createXai } from "@ai-sdk/xai";
import type { FakeProviderServer } from "./fake-provider-server.js";
import type { ProviderShape } from "./provider-shape.js";

export interface FakeModelOptions {
  /** @defaultValue `fake-<shape>-key` */
  apiKey?: string;
  /**
   * Which OpenAI API the `openai` shape uses: `responses` is what `openai(modelId)` does in
   * @ai-sdk/openai v4, `chat` is `openai.chat(modelId)`.
   * @defaultValue "responses"
   */
  openaiApi?: "responses" | "chat";
  headers?: Record<string, string>;
}

/**
 * A real AI SDK language model of the given provider package, pointed at the fake server with a
 * dummy key. The OpenAI-compatible model asks for usage in streams (`includeUsage`).
 */
export function fakeModel(
  server: Pick<FakeProviderServer, "baseURL">,
  shape: ProviderShape,
  modelId: string,
  options: FakeModelOptions = {},
): LanguageModelV4 {
  const apiKey = options.apiKey ?? `fake-${shape}-key`;
  const settings = { baseURL: server.baseURL[shape], apiKey, headers: options.headers };
  switch (shape) {
    case "openai": {
      const provider = createOpenAI(settings);
      return options.openaiApi === "chat" ? provider.chat(modelId) : provider(modelId);
    }
    case "anthropic":
      return createAnthropic(settings)(modelId);
    case "google":
      return createGoogle(settings)(modelId);
    case "xai":
      return createXai(settings)(modelId);
    case "openai-compatible":
      return createOpenAICompatible({ ...settings, name: "fake", includeUsage: true })(modelId);
  }
}
