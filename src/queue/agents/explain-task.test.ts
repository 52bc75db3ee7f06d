import { describe, expect, it } from "vitest";
import type { AgentConfig, AgentsConfig } from "./agent-definition.js";
import { capabilityWarning, missingCapabilities } from "./capability-coverage.js";
import { type ExplainedTask, explainAssignment } from "./explain-task.js";
import { formatExplanation } from "./format-explanation.js";

function agent(settings: Partial<AgentConfig>): AgentConfig {
  return {
    model: "sim",
    capabilities: [],
    specialties: [],
    weight: 1,
    maxConcurrent: 1,
    ...settings,
  };
}

const AGENTS: AgentsConfig = {
  architect: agent({ capabilities: ["design", "review"], weight: 2, maxConcurrent: 2 }),
  coder: agent({ capabilities: ["code", "tests"], maxConcurrent: 4 }),
};

function task(capabilities: string[]): ExplainedTask {
  return {
    id: "t1",
    title: "Write the parser",
    instructions: "Parse it.",
    capabilities,
    queue: "default",
    priority: 0,
  };
}

describe("explainAssignment", () => {
  it("names the chosen agent and lists every agent best first", () => {
    const explanation = explainAssignment({ task: task(["code"]), agents: AGENTS });
    expect(explanation.task).toEqual({
      id: "t1",
      title: "Write the parser",
      capabilities: ["code"],
    });
    expect(explanation.chosen).toBe("coder");
    expect(explanation.waitingBecause).toBeUndefined();
    expect(explanation.agents.map((entry) => [entry.agent, entry.eligible, entry.reasons])).toEqual(
      [
        ["coder", true, ["no recent calls: neutral history"]],
        ["architect", false, ["lacks capability code"]],
      ],
    );
    // The --json document is plain JSON.
    expect(JSON.parse(JSON.stringify(explanation))).toEqual(explanation);
  });

  it("says the task waits because no agent has a capability", () => {
    const explanation = explainAssignment({ task: task(["code", "deploy"]), agents: AGENTS });
    expect(explanation.chosen).toBeNull();
    expect(explanation.waitingBecause).toBe("no agent has capability deploy");
  });

  it("says when no single agent has every capability", () => {
    const explanation = explainAssignment({ task: task(["code", "design"]), agents: AGENTS });
    expect(explanation.waitingBecause).toBe("no agent has all of the capabilities code, design");
  });

  it("says which capable agents are busy or unhealthy", () => {
    const explanation = explainAssignment({
      task: task(["review"]),
      agents: AGENTS,
      running: { architect: 2 },
    });
    expect(explanation.waitingBecause).toBe(
      "no capable agent is available: architect at capacity 2/2",
    );
  });

  it("says when there are no agents at all", () => {
    expect(explainAssignment({ task: task([]), agents: {} }).waitingBecause).toMatch(
      /^no agents are configured/,
    );
  });
});

describe("formatExplanation", () => {
  it("prints the choice and a table of agents with their components and reasons", () => {
    const lines = formatExplanation(explainAssignment({ task: task(["code"]), agents: AGENTS }));
    expect(lines).toEqual([
      'task t1 "Write the parser" needs code',
      "chosen: coder",
      "AGENT      SCORE  CAPAB  SPEC  SUCCESS  LATENCY  COST  LOAD  WEIGHT  REASONS",
      "coder       57.5   1.00  0.00     0.50     0.50  0.50  1.00    0.50  no recent calls: neutral history",
      "architect      -   0.00  0.00     0.50     0.50  0.50  1.00    1.00  lacks capability code",
    ]);
  });

  it("prints why a task waits", () => {
    const lines = formatExplanation(explainAssignment({ task: task(["deploy"]), agents: {} }));
    expect(lines).toEqual([
      'task t1 "Write the parser" needs deploy',
      "waiting: no agents are configured (add them under agents: in orkestra.yaml)",
    ]);
  });
});

describe("capability coverage", () => {
  it("lists required capabilities no agent has, case-insensitively and once each", () => {
    expect(missingCapabilities(["Code", "deploy", "design", "deploy"], AGENTS)).toEqual(["deploy"]);
    expect(missingCapabilities([], {})).toEqual([]);
  });

  it("warns for task add, and stays silent when every capability is covered", () => {
    expect(capabilityWarning(["code", "tests"], AGENTS)).toBeUndefined();
    expect(capabilityWarning(["deploy"], AGENTS)).toBe(
      "no agent has capability deploy; the task will wait until one does. Add it to an agent's " +
        "capabilities under agents: in orkestra.yaml.",
    );
    expect(capabilityWarning(["deploy", "ops"], AGENTS)).toMatch(
      /^no agent has capabilities deploy, ops; .* Add them/,
    );
  });
});
