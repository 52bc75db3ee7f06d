/** What one token averages, in UTF-8 bytes: about four, as BPE tokenizers average on English. */
export const BYTES_PER_TOKEN = 4;

/**
 * Rough tokens for text, at {@link BYTES_PER_TOKEN}. Used where no provider count exists
 * (simulated answers, streams that broke off before usage, a stream's output as it arrives).
 */
export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, "utf8") / BYTES_PER_TOKEN);
}
