/** A stored epoch-ms time as `--json` output gives every time: an ISO 8601 string, or null. */
export function isoTime(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}
