import { distance } from "fastest-levenshtein";

/**
 * The candidate closest to `input`, or undefined when none is close enough to be a plausible
 * typo. Case is ignored (`timeoutMS` → `timeoutMs`); the allowed distance grows with the length
 * of the input, max(2, ⌊length / 3⌋), so short words do not match anything at all.
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const wanted = input.toLowerCase();
  const threshold = Math.max(2, Math.floor(input.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const candidateDistance = distance(wanted, candidate.toLowerCase());
    if (candidateDistance < bestDistance) {
      best = candidate;
      bestDistance = candidateDistance;
    }
  }
  return bestDistance <= threshold ? best : undefined;
}
