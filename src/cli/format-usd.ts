/** `$0`, `$0.000123` below a cent, `$1.2345` above: enough digits to see what a test call cost. */
export function formatUsd(usd: number): string {
  if (usd === 0) return "$0";
  return usd < 0.01 ? `$${usd.toFixed(6)}` : `$${usd.toFixed(4)}`;
}

/** A price per million tokens without trailing zeros: `3`, `0.075`, `1.25`. */
export function formatRate(usdPerMillion: number): string {
  return String(Number(usdPerMillion.toFixed(6)));
}
