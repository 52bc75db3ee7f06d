import { describe, expect, it } from "vitest";
import { decimalToNumber, exactDecimal, unitsAtScale } from "./exact-decimal.js";

describe("exactDecimal", () => {
  it("holds a number as the decimal it is written as", () => {
    expect(exactDecimal(0.1)).toEqual({ units: 1n, scale: 1 });
    expect(exactDecimal(2.5)).toEqual({ units: 25n, scale: 1 });
    expect(exactDecimal(3)).toEqual({ units: 3n, scale: 0 });
    expect(exactDecimal(1e-7)).toEqual({ units: 1n, scale: 7 });
    expect(exactDecimal(1.5e21)).toEqual({ units: 1_500_000_000_000_000_000_000n, scale: 0 });
    expect(exactDecimal(-0.25)).toEqual({ units: -25n, scale: 2 });
    expect(() => exactDecimal(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it("adds at a common scale and converts back to the nearest number", () => {
    const sum = unitsAtScale(exactDecimal(0.1), 2) + unitsAtScale(exactDecimal(0.25), 2);
    expect(sum).toBe(35n);
    expect(decimalToNumber(sum, 2)).toBe(0.35);
    expect(decimalToNumber(3n, 1)).toBe(0.3);
    expect(decimalToNumber(-5n, 3)).toBe(-0.005);
    expect(decimalToNumber(42n, 0)).toBe(42);
  });
});
