/** A stored epoch-ms time as `--json` output gives every time: an ISO 8601 string, or null. */
export function isoTime(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}

/** A stored epoch-ms time in a human table: `2026-12-01 22:41:36` (UTC), or `-`. */
export function tableTime(at: number | null): string {
  return at === null ? "-" : new Date(at).toISOString().replace("T", " ").slice(0, 19);
}
