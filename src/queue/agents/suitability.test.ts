import { describe, expect, it } from "vitest";
import type { AgentConfig, AgentsConfig } from "./agent-definition.js";
import {
  type AgentSignals,
  type AgentTaskInput,
  chooseAgent,
  SUITABILITY_POINTS,
  scoreAgents,
} from "./suitability.js";

function agent(settings: Partial<AgentConfig> = {}): AgentConfig {
  return {
    model: "sim",
    capabilities: [],
    specialties: [],
    weight: 1,
    maxConcurrent: 1,
    ...settings,
  };
}

function task(settings: Partial<AgentTaskInput> = {}): AgentTaskInput {
  return {
    title: "Do the thing",
    instructions: "",
    capabilities: [],
    queue: "default",
    priority: 0,
    ...settings,
  };
}

function signals(settings: Partial<AgentSignals> = {}): AgentSignals {
  return {
    calls: 0,
    successes: 0,
    latencyMs: { p50: null, p95: null },
    costPerAnswerUsd: null,
    breaker: { state: "closed", source: "ledger" },
    failing: false,
    consecutiveFailures: 0,
    lastFailureKind: null,
    ...settings,
  };
}

const ISSUE_AGENTS: AgentsConfig = {
  architect: agent({
    model: "claude",
    role: "plans and reviews designs",
    capabilities: ["design", "review"],
    specialties: ["typescript"],
    weight: 2,
    maxConcurrent: 2,
  }),
  coder: agent({ model: "smart", capabilities: ["code", "tests"], maxConcurrent: 4 }),
};

describe("scoreAgents", () => {
  it("points add up to 100", () => {
    const total = Object.values(SUITABILITY_POINTS).reduce((sum, points) => sum + points, 0);
    expect(total).toBe(100);
  });

  it("excludes an agent without a required capability, naming each one it lacks", () => {
    const ranking = scoreAgents({
      task: task({ capabilities: ["code", "Design", "review"] }),
      agents: ISSUE_AGENTS,
    });
    expect(ranking.map((entry) => [entry.agent, entry.eligible, entry.score])).toEqual([
      ["architect", false, 0],
      ["coder", false, 0],
    ]);
    expect(ranking[0]?.reasons).toEqual(["lacks capability code"]);
    expect(ranking[0]?.components.capability).toBeCloseTo(2 / 3, 3);
    expect(ranking[1]?.reasons).toEqual(["lacks capability design", "lacks capability review"]);
  });

  it("scores an agent without history from neutral ledger components", () => {
    const [coder] = scoreAgents({
      task: task({ capabilities: ["code"] }),
      agents: { coder: ISSUE_AGENTS.coder as AgentConfig },
    });
    expect(coder).toEqual({
      agent: "coder",
      eligible: true,
      // 15 capability + 0 specialty + 25·0.5 + 10·0.5 + 10·0.5 + 15 load + 10 weight
      score: 62.5,
      components: {
        capability: 1,
        specialty: 0,
        successRate: 0.5,
        latency: 0.5,
        cost: 0.5,
        load: 1,
        weight: 1,
      },
      reasons: ["no recent calls: neutral history"],
    });
  });

  it("gives the specialty points for a specialty in the capabilities, title or instructions", () => {
    const agents = { ts: agent({ specialties: ["TypeScript", "c++"] }) };
    const inTitle = scoreAgents({ task: task({ title: "Port the typescript parser" }), agents });
    expect(inTitle[0]?.components.specialty).toBe(1);
    expect(inTitle[0]?.reasons).toContain("specialty TypeScript in the task's title");
    const inInstructions = scoreAgents({
      task: task({ instructions: "Rewrite it in C++, carefully." }),
      agents,
    });
    expect(inInstructions[0]?.reasons).toContain("specialty c++ in the task's instructions");
    const inCapabilities = scoreAgents({ task: task({ capabilities: ["typescript"] }), agents });
    expect(inCapabilities[0]?.components).toMatchObject({ capability: 0, specialty: 1 });
    expect(inCapabilities[0]?.eligible).toBe(false);
  });

  it("matches specialties as whole words only", () => {
    const agents = { gopher: agent({ specialties: ["go"] }) };
    const ranking = scoreAgents({ task: task({ title: "A good algorithm, going fast" }), agents });
    expect(ranking[0]?.components.specialty).toBe(0);
  });

  it("smooths the success rate: (successes + 1) / (calls + 2)", () => {
    const ranking = scoreAgents({
      task: task(),
      agents: { good: agent(), bad: agent() },
      health: {
        good: signals({ calls: 8, successes: 8 }),
        bad: signals({ calls: 8, successes: 2 }),
      },
    });
    expect(ranking.map((entry) => entry.agent)).toEqual(["good", "bad"]);
    expect(ranking[0]?.components.successRate).toBe(0.9);
    expect(ranking[1]?.components.successRate).toBe(0.3);
    expect((ranking[0]?.score ?? 0) - (ranking[1]?.score ?? 0)).toBeCloseTo(25 * 0.6, 5);
  });

  it("rates latency and cost against the fastest and the cheapest agent", () => {
    const ranking = scoreAgents({
      task: task(),
      agents: { fast: agent(), slow: agent(), unknown: agent() },
      health: {
        fast: signals({ calls: 1, successes: 1, latencyMs: { p50: 200, p95: 300 } }),
        slow: signals({
          calls: 1,
          successes: 1,
          latencyMs: { p50: 800, p95: 900 },
          costPerAnswerUsd: 0.0099,
        }),
        unknown: signals({ costPerAnswerUsd: 0 }),
      },
    });
    const byName = Object.fromEntries(ranking.map((entry) => [entry.agent, entry.components]));
    expect(byName.fast).toMatchObject({ latency: 1, cost: 0.5 });
    expect(byName.slow).toMatchObject({ latency: 0.25, cost: 0.01 });
    expect(byName.unknown).toMatchObject({ latency: 0.5, cost: 1 });
  });

  it("prefers heavier agents", () => {
    const ranking = scoreAgents({
      task: task(),
      agents: { light: agent({ weight: 1 }), heavy: agent({ weight: 4 }) },
    });
    expect(ranking.map((entry) => [entry.agent, entry.components.weight])).toEqual([
      ["heavy", 1],
      ["light", 0.25],
    ]);
  });

  it("penalises workload and excludes an agent at capacity", () => {
    const ranking = scoreAgents({
      task: task({ capabilities: ["review"] }),
      agents: {
        architect: ISSUE_AGENTS.architect as AgentConfig,
        spare: agent({ capabilities: ["review"], maxConcurrent: 4 }),
      },
      running: { architect: 2, spare: 1 },
    });
    expect(ranking[0]).toMatchObject({ agent: "spare", eligible: true });
    expect(ranking[0]?.components.load).toBe(0.75);
    expect(ranking[0]?.reasons).toContain("1/4 slots busy");
    expect(ranking[1]).toMatchObject({
      agent: "architect",
      eligible: false,
      score: 0,
      reasons: ["at capacity 2/2"],
    });
    expect(ranking[1]?.components.load).toBe(0);
  });

  it("excludes an agent whose gateway breaker is open", () => {
    const ranking = scoreAgents({
      task: task(),
      agents: { flaky: agent(), steady: agent() },
      health: { flaky: signals({ breaker: { state: "open", source: "gateway" } }) },
    });
    expect(ranking[1]).toMatchObject({
      agent: "flaky",
      eligible: false,
      reasons: ["circuit breaker open"],
    });
  });

  it("excludes an agent whose ledger says it is failing, with the count and kind", () => {
    const failing = signals({
      calls: 5,
      failing: true,
      consecutiveFailures: 5,
      lastFailureKind: "server",
      breaker: { state: "open", source: "ledger" },
    });
    const ranking = scoreAgents({
      task: task(),
      agents: { flaky: agent() },
      health: { flaky: failing },
    });
    expect(ranking[0]?.reasons).toEqual(["failing: 5 consecutive failures, last server"]);
    expect(
      chooseAgent({ task: task(), agents: { flaky: agent() }, health: { flaky: failing } }),
    ).toBeUndefined();
  });

  it("keeps a half-open agent eligible, so its probe can close the breaker", () => {
    const ranking = scoreAgents({
      task: task(),
      agents: { probing: agent() },
      health: { probing: signals({ breaker: { state: "half-open", source: "gateway" } }) },
    });
    expect(ranking[0]?.eligible).toBe(true);
  });

  it("breaks ties by name, whatever the order of the configuration", () => {
    const agents = { zeta: agent(), alpha: agent(), mid: agent() };
    const reversed = { mid: agent(), alpha: agent(), zeta: agent() };
    const names = (config: AgentsConfig) =>
      scoreAgents({ task: task(), agents: config }).map((e) => e.agent);
    expect(names(agents)).toEqual(["alpha", "mid", "zeta"]);
    expect(names(reversed)).toEqual(["alpha", "mid", "zeta"]);
    expect(chooseAgent({ task: task(), agents })?.agent).toBe("alpha");
  });

  it("is safe with an agent named like an Object property", () => {
    const ranking = scoreAgents({
      task: task(),
      agents: { constructor: agent() },
      health: {},
      running: {},
    });
    expect(ranking[0]).toMatchObject({ agent: "constructor", eligible: true, score: 62.5 });
  });
});

describe("chooseAgent", () => {
  it("gives a design task to the architect and a coding task to the coder", () => {
    expect(
      chooseAgent({ task: task({ capabilities: ["design"] }), agents: ISSUE_AGENTS })?.agent,
    ).toBe("architect");
    expect(
      chooseAgent({ task: task({ capabilities: ["tests"] }), agents: ISSUE_AGENTS })?.agent,
    ).toBe("coder");
  });

  it("picks the architect for an open task: heavier, and a typescript specialist", () => {
    const chosen = chooseAgent({
      task: task({ title: "Review the TypeScript types" }),
      agents: ISSUE_AGENTS,
    });
    expect(chosen?.agent).toBe("architect");
  });

  it("moves on to the next agent when the best one is full", () => {
    const chosen = chooseAgent({ task: task(), agents: ISSUE_AGENTS, running: { architect: 2 } });
    expect(chosen?.agent).toBe("coder");
  });

  it("returns undefined when no agent is configured", () => {
    expect(chooseAgent({ task: task(), agents: {} })).toBeUndefined();
  });
});
