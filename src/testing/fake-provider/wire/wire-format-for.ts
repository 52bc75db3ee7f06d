import type { WireApi } from "../provider-shape.js";
import { anthropicMessagesWire } from "./anthropic-messages-wire.js";
import { geminiGenerateContentWire } from "./gemini-generate-content-wire.js";
import { openaiChatCompletionsWire } from "./openai-chat-completions-wire.js";
import { openaiResponsesWire } from "./openai-responses-wire.js";
import type { WireFormat } from "./wire-format.js";

export function wireFormatFor(api: WireApi): WireFormat {
  switch (api) {
    case "openai-chat-completions":
      return openaiChatCompletionsWire;
    case "openai-responses":
      return openaiResponsesWire;
    case "anthropic-messages":
      return anthropicMessagesWire;
    case "gemini-generate-content":
      return geminiGenerateContentWire;
  }
}
