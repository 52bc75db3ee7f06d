/** Logger levels, lowest first, plus `silent`; the configuration's `log.level` accepts these. */
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
