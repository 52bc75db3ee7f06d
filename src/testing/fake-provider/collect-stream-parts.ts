import type { LanguageModelV4StreamPart } from "@ai-sdk/provider";

export interface CollectedStream {
  parts: LanguageModelV4StreamPart[];
  /** The text deltas joined. */
  text: string;
  /** The `error` parts' errors, in order. */
  errorParts: unknown[];
  /** What reading the stream threw (a cut connection), or `undefined`. */
  thrown: unknown;
}

/**
 * Reads a `doStream` result to the end without throwing, so a test can look at the partial
 * text, the error parts and the final error of a failed stream together.
 */
export async function collectStreamParts(
  stream: ReadableStream<LanguageModelV4StreamPart>,
): Promise<CollectedStream> {
  const collected: CollectedStream = { parts: [], text: "", errorParts: [], thrown: undefined };
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      collected.parts.push(value);
      if (value.type === "text-delta") collected.text += value.delta;
      if (value.type === "error") collected.errorParts.push(value.error);
    }
  } catch (error) {
    collected.thrown = error;
  } finally {
    reader.releaseLock();
  }
  return collected;
}
