import { defaultReplyText, type PartialReply } from "./behaviour.js";
import { resolveUsage } from "./reply-usage.js";
import type { ResolvedReply } from "./wire/wire-format.js";

/** Splits before each word, keeping the spaces, so the chunks join back into the text. */
export function splitIntoChunks(text: string): string[] {
  const chunks: string[] = text.match(/\s*\S+/g) ?? [];
  const covered = chunks.reduce((length, chunk) => length + chunk.length, 0);
  if (covered < text.length) chunks.push(text.slice(covered));
  return chunks;
}

export function resolveReply(reply: PartialReply | undefined): ResolvedReply {
  const text = reply?.text ?? reply?.chunks?.join("") ?? defaultReplyText;
  return {
    text,
    chunks: reply?.chunks ?? splitIntoChunks(text),
    usage: resolveUsage(reply?.usage),
    finishReason: reply?.finishReason ?? "stop",
  };
}
