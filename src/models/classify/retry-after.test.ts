import { describe, expect, it } from "vitest";
import type { ProviderErrorFacts } from "./error-facts.js";
import { retryAfterMs } from "./retry-after.js";

const NOW = Date.parse("2026-11-21T12:00:00Z");

function facts(overrides: Partial<ProviderErrorFacts>): ProviderErrorFacts {
  return {
    status: 429,
    type: undefined,
    code: undefined,
    grpcStatus: undefined,
    message: "",
    details: [],
    headers: {},
    ...overrides,
  };
}

describe("retryAfterMs", () => {
  it("reads retry-after as delay-seconds, and a decimal too", () => {
    expect(retryAfterMs(facts({ headers: { "retry-after": "7" } }), NOW)).toBe(7_000);
    expect(retryAfterMs(facts({ headers: { "retry-after": " 120 " } }), NOW)).toBe(120_000);
    expect(retryAfterMs(facts({ headers: { "retry-after": "0" } }), NOW)).toBe(0);
    // RFC 9110 says an integer; a decimal means one thing only, so it is read rather than dropped.
    expect(retryAfterMs(facts({ headers: { "retry-after": "0.5" } }), NOW)).toBe(500);
    expect(retryAfterMs(facts({ headers: { "retry-after": "1.5" } }), NOW)).toBe(1_500);
  });

  it("reads retry-after as an IMF-fixdate", () => {
    const headers = { "retry-after": "Sat, 21 Nov 2026 12:00:30 GMT" };
    expect(retryAfterMs(facts({ headers }), NOW)).toBe(30_000);
  });

  it("reads the two obsolete HTTP-date formats RFC 9110 requires recipients to accept", () => {
    const rfc850 = { "retry-after": "Saturday, 21-Nov-26 12:00:45 GMT" };
    expect(retryAfterMs(facts({ headers: rfc850 }), NOW)).toBe(45_000);
    const asctime = { "retry-after": "Sat Nov 21 12:01:00 2026" };
    expect(retryAfterMs(facts({ headers: asctime }), NOW)).toBe(60_000);
    const asctimeSingleDigit = { "retry-after": "Tue Dec  1 12:00:00 2026" };
    expect(retryAfterMs(facts({ headers: asctimeSingleDigit }), NOW)).toBe(10 * 86_400_000);
  });

  it("treats a date in the past as now", () => {
    const headers = { "retry-after": "Sat, 21 Nov 2026 11:59:00 GMT" };
    expect(retryAfterMs(facts({ headers }), NOW)).toBe(0);
  });

  it("ignores garbage, negative delays and malformed dates, so the normal backoff applies", () => {
    for (const value of [
      "abc 2",
      "1,5",
      "-1",
      "-3",
      "+5",
      "1e3",
      "0x10",
      "5s",
      "soon",
      "Infinity",
      "2026-11-21T12:00:30Z",
      "Sat, 21 Nov 2026 12:00:30",
      "Sat, 21 Nov 2026 12:00:30 UTC",
      "sat, 21 nov 2026 12:00:30 gmt",
      "Sat, 31 Feb 2026 12:00:30 GMT",
      "Sat, 21 Nov 2026 24:00:00 GMT",
      "Sat, 21 Nov 2026 12:60:00 GMT",
      "Sat, 1 Nov 2026 12:00:30 GMT",
      "Sat, 21 Nov 2026 12:00:30 GMT extra",
    ]) {
      expect(
        retryAfterMs(facts({ headers: { "retry-after": value } }), NOW),
        value,
      ).toBeUndefined();
    }
    for (const value of ["-10", "abc", "1,5", "1e3", ""]) {
      const headers = { "retry-after-ms": value };
      expect(retryAfterMs(facts({ headers }), NOW), value).toBeUndefined();
    }
    const details = [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "-1s" }];
    expect(retryAfterMs(facts({ details }), NOW)).toBeUndefined();
  });

  it("falls back to retry-after when retry-after-ms is garbage", () => {
    const headers = { "retry-after-ms": "soon", "retry-after": "2" };
    expect(retryAfterMs(facts({ headers }), NOW)).toBe(2_000);
  });

  it("prefers retry-after-ms, which is more precise", () => {
    const headers = { "retry-after-ms": "1250.4", "retry-after": "2" };
    expect(retryAfterMs(facts({ headers }), NOW)).toBe(1_251);
  });

  it("reads Google's RetryInfo when there is no header", () => {
    const details = [
      { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "13.470339s" },
    ];
    expect(retryAfterMs(facts({ details }), NOW)).toBe(13_471);
  });

  it("reads the delay a message asks for as a last resort", () => {
    expect(retryAfterMs(facts({ message: "Please try again in 20ms." }), NOW)).toBe(20);
    expect(retryAfterMs(facts({ message: "Please retry in 3.2s." }), NOW)).toBe(3_200);
  });

  it("ignores values it cannot read", () => {
    expect(retryAfterMs(facts({ headers: { "retry-after": "soon" } }), NOW)).toBeUndefined();
    expect(retryAfterMs(facts({ headers: { "retry-after-ms": "" } }), NOW)).toBeUndefined();
    expect(retryAfterMs(facts({}), NOW)).toBeUndefined();
  });
});
