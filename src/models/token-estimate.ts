/**
 * Rough tokens for text: about four bytes a token, as BPE tokenizers average on English. Used
 * where no provider count exists (simulated answers, streams that broke off before usage).
 */
export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, "utf8") / 4);
}
