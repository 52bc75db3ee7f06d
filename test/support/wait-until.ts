/** Polls `condition` every few milliseconds until it holds; throws after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean,
  { timeoutMs = 2_000, what = "the condition" }: { timeoutMs?: number; what?: string } = {},
): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
