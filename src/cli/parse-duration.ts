import { UsageError } from "../errors/index.js";

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Parses `90s`, `15m`, `1h`, `7d`, `2w` (or a bare number of milliseconds) into milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/.exec(text.trim());
  if (!match) {
    throw new UsageError(`${flag}: "${text}" is not a duration`, {
      hint: "Use a number with a unit: 30s, 15m, 1h, 7d, 2w.",
    });
  }
  const unit = match[2] ?? "ms";
  return Math.round(Number(match[1]) * (UNIT_MS[unit] ?? 1));
}

/** Parses a positive integer flag value such as `--limit 50` or `--max-tokens 512`. */
export function parsePositiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new UsageError(`${flag}: expected a positive whole number, found "${text}"`);
  }
  return value;
}
