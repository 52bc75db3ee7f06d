import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/index.js";
import { createGateway } from "../../src/models/index.js";

function gatewayWith(failureThreshold: number, requestsPerMinute: number) {
  const config = configSchema.parse({
    models: {
      writer: {
        provider: "simulated",
        breaker: { failureThreshold },
        limits: { requestsPerMinute },
      },
    },
  });
  return createGateway({ config });
}

describe("breakers and rate limiters belong to their gateway", () => {
  it("gives two gateways with different settings for the same alias their own breaker and limiter", () => {
    const strict = gatewayWith(1, 10);
    const lenient = gatewayWith(7, 20);
    const strictPlan = strict.plan("writer");
    const lenientPlan = lenient.plan("writer");
    expect(strictPlan.breaker.failureThreshold).toBe(1);
    expect(lenientPlan.breaker.failureThreshold).toBe(7);
    expect(strictPlan.limiter.limits.requestsPerMinute).toBe(10);
    expect(lenientPlan.limiter.limits.requestsPerMinute).toBe(20);

    strictPlan.breaker.recordFailure("server");
    expect(strictPlan.breaker.state).toBe("open");
    expect(lenientPlan.breaker.state).toBe("closed");
  });
});
