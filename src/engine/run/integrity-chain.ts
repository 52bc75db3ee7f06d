import { createHash } from "node:crypto";

/** The chain's start: the hash of a run with no committed attempt. */
export const EMPTY_CHAIN = createHash("sha256").update("orkestra:run").digest("hex");

/** What one commit adds to a run's integrity chain. */
export interface ChainLink {
  commitSeq: number;
  stepId: string;
  iteration: number;
  attempt: number;
  status: string;
  outputJson: string | null;
  deltaJson: string | null;
}

/** sha256(previous hash, then the link's fields, length-prefixed so no two links collide). */
export function chainHash(previous: string, link: ChainLink): string {
  let text = previous;
  for (const part of [
    String(link.commitSeq),
    link.stepId,
    String(link.iteration),
    String(link.attempt),
    link.status,
    link.outputJson ?? "",
    link.deltaJson ?? "",
  ]) {
    // `length` counts UTF-16 code units, as it always has: stored chains keep verifying.
    text += `${part.length}:${part}`;
  }
  // One update of the whole text: the same bytes as one update per part, a fraction of the calls.
  return createHash("sha256").update(text).digest("hex");
}
