import { UsageError } from "../errors/index.js";

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const UNITS_HINT = "Give a number with a unit: 500ms, 30s, 15m, 1h, 7d, 2w.";

/**
 * Parses `500ms`, `90s`, `15m`, `1h`, `7d`, `2w` into milliseconds. The unit is required: a
 * bare `30` read as milliseconds made `--timeout 30` fail every attempt, and read as seconds it
 * would surprise the next person. Zero is refused: no flag means "no time at all".
 */
export function parseDuration(text: string, flag: string): number {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) {
    throw new UsageError(`${flag}: "${text}" has no unit`, {
      hint: `Say which unit you mean, e.g. ${flag} ${trimmed}s or ${flag} ${trimmed}ms.`,
    });
  }
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(trimmed);
  if (!match) {
    throw new UsageError(`${flag}: "${text}" is not a duration`, { hint: UNITS_HINT });
  }
  const milliseconds = Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? ""] ?? 1));
  if (milliseconds <= 0) {
    throw new UsageError(`${flag}: "${text}" is zero; the duration must be at least 1ms`, {
      hint: `Give a duration above zero, e.g. ${flag} 30s.`,
    });
  }
  return milliseconds;
}

/** Parses a positive integer flag value such as `--limit 50` or `--max-tokens 512`. */
export function parsePositiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new UsageError(`${flag}: expected a positive whole number, found "${text}"`);
  }
  return value;
}
