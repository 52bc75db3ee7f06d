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
    expect(parseDuration("500", "--x")).toBe(500);
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
