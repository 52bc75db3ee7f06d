import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { CircuitBreakerRegistry, type ModelCallTable, modelDb } from "../../../src/models/index.js";
import type { AgentConfig, AgentsConfig } from "../../../src/queue/agents/index.js";
import { healthByAgent, readAgentHealth, scoreAgents } from "../../../src/queue/agents/index.js";
import type { Store } from "../../../src/store/index.js";
import { describeEachStore } from "../../helpers/stores.js";

const NOW = 1_800_000_000_000;
const MINUTE = 60_000;

function agent(model: string): AgentConfig {
  return { model, capabilities: [], specialties: [], weight: 1, maxConcurrent: 1 };
}

const AGENTS: AgentsConfig = { solo: agent("claude"), team: agent("smart"), idle: agent("gpt") };
const FALLBACKS = { smart: ["gemini", "grok"] };

type Call = Partial<ModelCallTable> & Pick<ModelCallTable, "alias">;

async function insertCalls(store: Store, calls: readonly Call[]): Promise<void> {
  await modelDb(store)
    .insertInto("model_calls")
    .values(
      calls.map((call, index) => ({
        id: randomUUID(),
        created_at: NOW - 10_000 + index,
        provider: "anthropic",
        model: "m",
        outcome: "success",
        error_kind: null,
        input_tokens: 0,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        output_tokens: 0,
        reasoning_tokens: 0,
        cost_usd: 0,
        latency_ms: 0,
        attempts: 1,
        simulated: 0,
        streamed: 0,
        run_id: null,
        task_id: null,
        step_id: null,
        ...call,
      })),
    )
    .execute();
}

function failure(alias: string, kind: string, at?: number): Call {
  return {
    alias,
    outcome: "error",
    error_kind: kind,
    latency_ms: 5_000,
    ...(at === undefined ? {} : { created_at: at }),
  };
}

describeEachStore("agent health from the ledger", (fixture) => {
  it("aggregates calls, success rate, percentiles, error kinds and spend over the window", async () => {
    const successes = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((latency) => ({
      alias: "claude",
      latency_ms: latency,
      cost_usd: 0.002,
    }));
    await insertCalls(fixture.store, [
      ...successes,
      failure("claude", "rate_limit"),
      failure("claude", "rate_limit"),
      failure("claude", "timeout"),
      { alias: "claude", outcome: "incomplete", error_kind: "network", cost_usd: 0.001 },
      // Outside the window, and another alias: not counted.
      { alias: "claude", created_at: NOW - 2 * 3_600_000, latency_ms: 1 },
      { alias: "gpt", latency_ms: 1 },
    ]);

    const [solo] = await readAgentHealth(fixture.store, {
      agents: { solo: agent("claude") },
      fallbacks: {},
      now: NOW,
    });

    expect(solo).toEqual({
      agent: "solo",
      models: ["claude"],
      since: NOW - 3_600_000,
      windowMs: 3_600_000,
      calls: 14,
      successes: 10,
      successRate: 10 / 14,
      latencyMs: { p50: 50, p95: 100 },
      errorKinds: [
        { kind: "rate_limit", count: 2 },
        { kind: "network", count: 1 },
        { kind: "timeout", count: 1 },
      ],
      spendUsd: expect.closeTo(0.021, 9),
      costPerAnswerUsd: expect.closeTo(0.0021, 9),
      consecutiveFailures: 4,
      lastFailureKind: "network",
      breaker: { state: "closed", source: "ledger" },
      failing: false,
    });
  });

  it("takes nearest-rank percentiles in SQL on every backend", async () => {
    const latencies = Array.from({ length: 20 }, (_, index) => (20 - index) * 7);
    await insertCalls(
      fixture.store,
      latencies.map((latency) => ({ alias: "claude", latency_ms: latency })),
    );
    const [one] = await readAgentHealth(fixture.store, {
      agents: { solo: agent("claude") },
      fallbacks: {},
      now: NOW,
    });
    // Ranks ⌈0.5·20⌉ = 10 and ⌈0.95·20⌉ = 19 of 7, 14, …, 140.
    expect(one?.latencyMs).toEqual({ p50: 70, p95: 133 });

    await insertCalls(fixture.store, [{ alias: "gpt", latency_ms: 42 }]);
    const [single] = await readAgentHealth(fixture.store, {
      agents: { idle: agent("gpt") },
      fallbacks: {},
      now: NOW,
    });
    expect(single?.latencyMs).toEqual({ p50: 42, p95: 42 });
  });

  it("counts a chain agent's calls over every member of the chain", async () => {
    await insertCalls(fixture.store, [
      failure("gemini", "server"),
      { alias: "grok", latency_ms: 300, cost_usd: 0.01 },
      { alias: "claude" },
    ]);
    const health = healthByAgent(
      await readAgentHealth(fixture.store, { agents: AGENTS, fallbacks: FALLBACKS, now: NOW }),
    );
    expect(health.team).toMatchObject({
      models: ["gemini", "grok"],
      calls: 2,
      successes: 1,
      successRate: 0.5,
      latencyMs: { p50: 300, p95: 300 },
      errorKinds: [{ kind: "server", count: 1 }],
      consecutiveFailures: 0,
    });
    expect(health.idle).toMatchObject({
      calls: 0,
      successRate: null,
      latencyMs: { p50: null, p95: null },
      errorKinds: [],
      spendUsd: 0,
      costPerAnswerUsd: null,
      breaker: { state: "closed", source: "ledger" },
      failing: false,
    });
  });

  it("marks an agent failing after consecutive failures, skipping kinds that are not its fault", async () => {
    await insertCalls(fixture.store, [
      { alias: "claude" },
      failure("claude", "server"),
      failure("claude", "overloaded"),
      failure("claude", "invalid_request"),
      failure("claude", "server"),
      failure("claude", "cancelled"),
      failure("claude", "timeout"),
      failure("claude", "network"),
    ]);
    const options = { agents: { solo: agent("claude") }, fallbacks: {}, now: NOW };
    const [failing] = await readAgentHealth(fixture.store, options);
    expect(failing).toMatchObject({
      consecutiveFailures: 5,
      lastFailureKind: "network",
      breaker: { state: "open", source: "ledger" },
      failing: true,
    });
    const [ranked] = scoreAgents({
      task: { title: "t", instructions: "", capabilities: [], queue: "q", priority: 0 },
      agents: { solo: agent("claude") },
      health: healthByAgent([failing!]),
    });
    expect(ranked).toMatchObject({
      eligible: false,
      reasons: ["failing: 5 consecutive failures, last network"],
    });

    // A higher threshold: not yet failing.
    const [lenient] = await readAgentHealth(fixture.store, { ...options, failureThreshold: 6 });
    expect(lenient).toMatchObject({ failing: false, breaker: { state: "closed" } });

    // Past the cool-down the agent may be tried again (half-open), or it would never recover.
    const [later] = await readAgentHealth(fixture.store, { ...options, now: NOW + MINUTE });
    expect(later).toMatchObject({
      failing: false,
      breaker: { state: "half-open", source: "ledger" },
    });
  });

  it("reads the gateway's breakers when given its registry", async () => {
    const breakers = new CircuitBreakerRegistry();
    const open = breakers.get("claude", { failureThreshold: 1 });
    open.recordFailure("server");
    breakers.get("gemini", { failureThreshold: 1 }).recordFailure("server");

    const health = healthByAgent(
      await readAgentHealth(fixture.store, {
        agents: AGENTS,
        fallbacks: FALLBACKS,
        now: NOW,
        breakers,
      }),
    );
    expect(health.solo?.breaker).toEqual({ state: "open", source: "gateway" });
    // grok's breaker is closed (never used): the chain still answers.
    expect(health.team?.breaker).toEqual({ state: "closed", source: "gateway" });
    expect(health.idle?.breaker).toEqual({ state: "closed", source: "gateway" });

    breakers.get("grok", { failureThreshold: 1 }).recordFailure("timeout");
    const [team] = await readAgentHealth(fixture.store, {
      agents: { team: agent("smart") },
      fallbacks: FALLBACKS,
      now: NOW,
      breakers,
    });
    expect(team?.breaker).toEqual({ state: "open", source: "gateway" });
  });
});
