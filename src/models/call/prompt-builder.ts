import type { LanguageModelV4Prompt } from "@ai-sdk/provider";
import { UsageError } from "../../errors/index.js";
import type { ModelRequest } from "./model-request.js";

/** The AI SDK prompt for a request: system text, then the messages, then `prompt` as the last user turn. */
export function buildPrompt(request: ModelRequest): LanguageModelV4Prompt {
  const prompt: LanguageModelV4Prompt = [];
  if (request.system !== undefined && request.system !== "") {
    prompt.push({ role: "system", content: request.system });
  }
  for (const message of request.messages ?? []) {
    if (message.role === "system") prompt.push({ role: "system", content: message.content });
    else prompt.push({ role: message.role, content: [{ type: "text", text: message.content }] });
  }
  if (request.prompt !== undefined) {
    prompt.push({ role: "user", content: [{ type: "text", text: request.prompt }] });
  }
  if (!prompt.some((message) => message.role === "user")) {
    throw new UsageError(`model call to "${request.model}" has no user message`, {
      hint: "Pass a prompt, or messages with at least one user turn.",
    });
  }
  return prompt;
}

/** Every piece of text the model will read, for the input-token bound. */
export function promptTexts(prompt: LanguageModelV4Prompt): string[] {
  const texts: string[] = [];
  for (const message of prompt) {
    if (message.role === "system") {
      texts.push(message.content);
      continue;
    }
    for (const part of message.content) if (part.type === "text") texts.push(part.text);
  }
  return texts;
}
