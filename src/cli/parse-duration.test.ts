import { describe, expect, it } from "vitest";
import { parseDuration, parsePositiveInteger } from "./parse-duration.js";

describe("parseDuration", () => {
  it("reads units from milliseconds to weeks", () => {
    expect(parseDuration("250ms", "--x")).toBe(250);
    expect(parseDuration("90s", "--x")).toBe(90_000);
    expect(parseDuration("15m", "--x")).toBe(900_000);
    expect(parseDuration("1h", "--x")).toBe(3_600_000);
    expect(parseDuration("1.5d", "--x")).toBe(129_600_000);
    expect(parseDuration("2w", "--x")).toBe(1_209_600_000);
  });

  it("refuses a bare number, naming the flag and showing the number with units", () => {
    expect(() => parseDuration("30", "--timeout")).toThrow(/--timeout: "30" has no unit/);
    try {
      parseDuration("30", "--timeout");
    } catch (error) {
      expect((error as { hint?: string }).hint).toContain("--timeout 30s");
    }
  });

  it("refuses zero whatever the unit", () => {
    expect(() => parseDuration("0s", "--deadline")).toThrow(/--deadline: "0s" is zero/);
    expect(() => parseDuration("0", "--deadline")).toThrow(/--deadline/);
    expect(() => parseDuration("0.0001ms", "--deadline")).toThrow(/is zero/);
  });

  it("names the flag when the text is not a duration", () => {
    expect(() => parseDuration("soon", "--since")).toThrow(/--since: "soon" is not a duration/);
    expect(() => parseDuration("1y", "--since")).toThrow(/--since/);
  });
});

describe("parsePositiveInteger", () => {
  it("accepts whole numbers above zero only", () => {
    expect(parsePositiveInteger("12", "--limit")).toBe(12);
    expect(() => parsePositiveInteger("0", "--limit")).toThrow(/--limit/);
    expect(() => parsePositiveInteger("1.5", "--limit")).toThrow(/positive whole number/);
  });
});
