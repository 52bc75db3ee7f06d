import type { LanguageModelV4Prompt } from "@ai-sdk/provider";
import { UsageError } from "../../errors/index.js";
import type { ModelRequest } from "./model-request.js";

/**
 * The AI SDK prompt for a request: system text, then the messages, then `prompt` as the last
 * user turn; with every piece of text the model will read (`promptTexts`), gathered on the way.
 */
export function buildPrompt(request: ModelRequest): {
  prompt: LanguageModelV4Prompt;
  texts: string[];
} {
  const prompt: LanguageModelV4Prompt = [];
  const texts: string[] = [];
  let hasUserTurn = false;
  if (request.system !== undefined && request.system !== "") {
    prompt.push({ role: "system", content: request.system });
    texts.push(request.system);
  }
  for (const message of request.messages ?? []) {
    if (message.role === "system") prompt.push({ role: "system", content: message.content });
    else prompt.push({ role: message.role, content: [{ type: "text", text: message.content }] });
    if (message.role === "user") hasUserTurn = true;
    texts.push(message.content);
  }
  if (request.prompt !== undefined) {
    prompt.push({ role: "user", content: [{ type: "text", text: request.prompt }] });
    texts.push(request.prompt);
    hasUserTurn = true;
  }
  if (!hasUserTurn) {
    throw new UsageError(`model call to "${request.model}" has no user message`, {
      hint: "Pass a prompt, or messages with at least one user turn.",
    });
  }
  return { prompt, texts };
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
