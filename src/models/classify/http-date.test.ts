import { describe, expect, it } from "vitest";
import { parseHttpDate } from "./http-date.js";

const NOW = Date.parse("2026-11-21T12:00:00Z");
const EXPECTED = Date.UTC(1994, 10, 6, 8, 49, 37);

describe("parseHttpDate", () => {
  it("reads the three formats of RFC 9110's own example", () => {
    expect(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).toBe(EXPECTED);
    expect(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).toBe(EXPECTED);
    expect(parseHttpDate("Sun Nov  6 08:49:37 1994", NOW)).toBe(EXPECTED);
  });

  it("reads a two-digit rfc850 year more than 50 years ahead as the century before", () => {
    expect(parseHttpDate("Friday, 21-Nov-80 12:00:00 GMT", NOW)).toBe(Date.UTC(1980, 10, 21, 12));
    expect(parseHttpDate("Monday, 21-Nov-70 12:00:00 GMT", NOW)).toBe(Date.UTC(2070, 10, 21, 12));
  });

  it("accepts a leap second", () => {
    expect(parseHttpDate("Wed, 31 Dec 2025 23:59:60 GMT", NOW)).toBe(Date.UTC(2026, 0, 1));
  });

  it("rejects what the grammar does not allow, and dates that do not exist", () => {
    for (const text of [
      "abc 2",
      "1,5",
      "Sun, 06 Nov 1994 08:49:37",
      "Sun, 06 Nov 1994 08:49:37 UTC",
      "Sun, 06 Nov 1994 08:49:37 +0000",
      "sun, 06 nov 1994 08:49:37 gmt",
      "Sun,06 Nov 1994 08:49:37 GMT",
      "Sun, 6 Nov 1994 08:49:37 GMT",
      "Sunday, 06 Nov 1994 08:49:37 GMT",
      "Sun, 06-Nov-94 08:49:37 GMT",
      "Sun Nov 6 08:49:37 1994",
      "Sun, 30 Feb 1994 08:49:37 GMT",
      "Sun, 00 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 24:00:00 GMT",
      "Sun, 06 Nov 1994 08:60:00 GMT",
      "Sun, 06 Nov 1994 08:49:61 GMT",
      "1994-11-06T08:49:37Z",
      "",
    ]) {
      expect(parseHttpDate(text, NOW), text).toBeUndefined();
    }
  });
});
