/** A decimal number held exactly: `units / 10^scale`. */
export interface ExactDecimal {
  units: bigint;
  scale: number;
}

const NUMBER_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/**
 * `value` as the decimal it is written as, exactly: `0.1` is one tenth, not the nearest binary
 * fraction. Weights and thresholds come from flags and files as decimals, and summing their
 * binary approximations makes 0.1 + 0.2 beat 0.3.
 */
export function exactDecimal(value: number): ExactDecimal {
  const match = NUMBER_TEXT.exec(String(value));
  if (match === null) throw new RangeError(`${value} is not a finite number`);
  const [, sign = "", whole = "0", fraction = "", exponent = "0"] = match;
  const units = BigInt(`${sign}${whole}${fraction}`);
  const scale = fraction.length - Number(exponent);
  return scale >= 0 ? { units, scale } : { units: units * 10n ** BigInt(-scale), scale: 0 };
}

/** `decimal` expressed in `scale` decimal places (`scale` at least `decimal.scale`). */
export function unitsAtScale(decimal: ExactDecimal, scale: number): bigint {
  return decimal.units * 10n ** BigInt(scale - decimal.scale);
}

/** The number nearest to `units / 10^scale`. */
export function decimalToNumber(units: bigint, scale: number): number {
  if (scale === 0) return Number(units);
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, "0");
  const text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return units < 0n ? -Number(text) : Number(text);
}
