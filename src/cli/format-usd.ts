// One money format for the gateway's messages and the CLI's tables.
export { formatUsd } from "../models/usage/cost.js";

/** A price per million tokens without trailing zeros: `3`, `0.075`, `1.25`. */
export function formatRate(usdPerMillion: number): string {
  return String(Number(usdPerMillion.toFixed(6)));
}
