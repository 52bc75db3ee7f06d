/**
 * Logger levels, lowest first, plus `silent`. The same names as the config's `LOG_LEVELS`
 * (src/config/schema.ts), which this layer may not import: keep the two lists equal.
 */
export const LOGGER_LEVELS = [
  "trace",
  "debug",
  "info",
  "warn",
  "error",
  "fatal",
  "silent",
] as const;

export type LogLevel = (typeof LOGGER_LEVELS)[number];

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && (LOGGER_LEVELS as readonly string[]).includes(value);
}
