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
  it("reads retry-after as seconds", () => {
    expect(retryAfterMs(facts({ headers: { "retry-after": "7" } }), NOW)).toBe(7_000);
    expect(retryAfterMs(facts({ headers: { "retry-after": "0.5" } }), NOW)).toBe(500);
  });

  it("reads retry-after as an HTTP-date", () => {
    const headers = { "retry-after": "Sat, 21 Nov 2026 12:00:30 GMT" };
    expect(retryAfterMs(facts({ headers }), NOW)).toBe(30_000);
  });

  it("clamps a date in the past and a negative delay to 0", () => {
    expect(
      retryAfterMs(facts({ headers: { "retry-after": "Sat, 21 Nov 2026 11:59:00 GMT" } }), NOW),
    ).toBe(0);
    expect(retryAfterMs(facts({ headers: { "retry-after": "-3" } }), NOW)).toBe(0);
    expect(retryAfterMs(facts({ headers: { "retry-after-ms": "-10" } }), NOW)).toBe(0);
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
