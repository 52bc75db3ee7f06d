import { normalizeTag } from "../../config/agents-schema.js";
import {
  type AgentDefinition,
  type AgentsConfig,
  agentDefinitions,
  compareNames,
  ownValue,
} from "./agent-definition.js";
import type { AgentHealth } from "./agent-health.js";
import { matchSpecialties } from "./specialty-match.js";

/**
 * What assignment reads of a task. The queue's task rows carry more; this is all a score
 * depends on.
 */
export interface AgentTaskInput {
  title: string;
  instructions: string;
  /** Required capabilities: an agent must have every one. */
  capabilities: readonly string[];
  queue: string;
  priority: number;
}

/** What a score reads of an agent's health ({@link AgentHealth} has it all). */
export type AgentSignals = Pick<
  AgentHealth,
  | "calls"
  | "successes"
  | "latencyMs"
  | "costPerAnswerUsd"
  | "breaker"
  | "failing"
  | "consecutiveFailures"
  | "lastFailureKind"
>;

export interface SuitabilityInput {
  task: AgentTaskInput;
  /** The configuration's `agents:` (or the subset a worker serves). */
  agents: AgentsConfig;
  /** Health per agent name; an agent without an entry has no history (neutral scores). */
  health?: Readonly<Record<string, AgentSignals>>;
  /** Running tasks per agent name; absent means none. */
  running?: Readonly<Record<string, number>>;
}

/** Each part of a score, from 0 (worst) to 1 (best). */
export interface SuitabilityComponents {
  /** Share of the task's required capabilities the agent has; below 1 excludes it. */
  capability: number;
  /** 1 when one of the agent's specialties is mentioned by the task, else 0. */
  specialty: number;
  /** (successes + 1) / (calls + 2) over the health window: 0.5 with no history. */
  successRate: number;
  /** Fastest median latency among the agents / this agent's; 0.5 with no history. */
  latency: number;
  /** Cheapest cost per answer among the agents / this agent's (both + $0.0001); 0.5 unknown. */
  cost: number;
  /** Free share of the agent's slots: 1 − running / maxConcurrent. */
  load: number;
  /** weight / the highest weight among the agents. */
  weight: number;
}

/** Points each component is worth; they add up to 100. */
export const SUITABILITY_POINTS: Readonly<SuitabilityComponents> = Object.freeze({
  capability: 15,
  specialty: 15,
  successRate: 25,
  latency: 10,
  cost: 10,
  load: 15,
  weight: 10,
});

/** Neutral value of a ledger-based component for an agent without history. */
const UNKNOWN = 0.5;
/** Added to both sides of the cost ratio, so a free model does not zero everyone else. */
const COST_FLOOR_USD = 0.0001;

/** One agent's suitability for one task. */
export interface AgentSuitability {
  agent: string;
  /** Has every required capability, a free slot, and a breaker not open nor failing health. */
  eligible: boolean;
  /** 0–100, one decimal; 0 when not eligible. */
  score: number;
  components: SuitabilityComponents;
  /** Why it is excluded (when not eligible), or what stands out in its score (when eligible). */
  reasons: string[];
}

/**
 * Scores every agent for `task`, best first: eligible agents by score (ties by name), then the
 * excluded ones by name. Pure: health and load are read beforehand. The formula is in
 * docs/agents.md.
 */
export function scoreAgents(input: SuitabilityInput): AgentSuitability[] {
  const agents = agentDefinitions(input.agents);
  const health = input.health ?? {};
  const references = referenceValues(agents, health);
  const scored = agents.map((agent) =>
    scoreAgent(
      agent,
      input.task,
      ownValue(health, agent.name),
      ownValue(input.running, agent.name) ?? 0,
      references,
    ),
  );
  return scored.sort(
    (left, right) =>
      Number(right.eligible) - Number(left.eligible) ||
      right.score - left.score ||
      compareNames(left.agent, right.agent),
  );
}

/** The agent `task` goes to: the best eligible one, or undefined when none is. */
export function chooseAgent(input: SuitabilityInput): AgentSuitability | undefined {
  return scoreAgents(input).find((entry) => entry.eligible);
}

interface References {
  fastestP50: number | undefined;
  cheapestAnswer: number | undefined;
  heaviest: number;
}

// Relative components compare with every configured agent, not only the capable ones, so an
// agent's score for a component is the same whatever the task requires.
function referenceValues(
  agents: readonly AgentDefinition[],
  health: Readonly<Record<string, AgentSignals>>,
): References {
  const latencies: number[] = [];
  const costs: number[] = [];
  for (const agent of agents) {
    const signals = ownValue(health, agent.name);
    const p50 = signals?.latencyMs.p50;
    const cost = signals?.costPerAnswerUsd;
    if (p50 !== null && p50 !== undefined) latencies.push(Math.max(1, p50));
    if (cost !== null && cost !== undefined) costs.push(cost);
  }
  return {
    fastestP50: latencies.length > 0 ? Math.min(...latencies) : undefined,
    cheapestAnswer: costs.length > 0 ? Math.min(...costs) : undefined,
    heaviest: Math.max(...agents.map((agent) => agent.weight)),
  };
}

function scoreAgent(
  agent: AgentDefinition,
  task: AgentTaskInput,
  signals: AgentSignals | undefined,
  running: number,
  references: References,
): AgentSuitability {
  const exclusions: string[] = [];
  const notes: string[] = [];

  const owned = new Set(agent.capabilities.map(normalizeTag));
  const required = [...new Set(task.capabilities.map(normalizeTag))];
  const missing = required.filter((capability) => !owned.has(capability));
  for (const capability of missing) exclusions.push(`lacks capability ${capability}`);

  if (running >= agent.maxConcurrent) {
    exclusions.push(`at capacity ${running}/${agent.maxConcurrent}`);
  } else if (running > 0) {
    notes.push(`${running}/${agent.maxConcurrent} slots busy`);
  }

  if (signals?.breaker.state === "open" && signals.breaker.source === "gateway") {
    exclusions.push("circuit breaker open");
  }
  if (signals?.failing) {
    const kind = signals.lastFailureKind ? `, last ${signals.lastFailureKind}` : "";
    exclusions.push(`failing: ${signals.consecutiveFailures} consecutive failures${kind}`);
  }

  const matches = matchSpecialties(agent.specialties, task);
  for (const match of matches) notes.push(`specialty ${match.specialty} in the task's ${match.in}`);
  if (signals === undefined || signals.calls === 0) notes.push("no recent calls: neutral history");

  const components: SuitabilityComponents = {
    capability: required.length === 0 ? 1 : (required.length - missing.length) / required.length,
    specialty: matches.length > 0 ? 1 : 0,
    successRate: ((signals?.successes ?? 0) + 1) / ((signals?.calls ?? 0) + 2),
    latency: ratio(references.fastestP50, signals?.latencyMs.p50, 0, 1),
    cost: ratio(references.cheapestAnswer, signals?.costPerAnswerUsd, COST_FLOOR_USD, 0),
    load: Math.max(0, 1 - running / agent.maxConcurrent),
    weight: agent.weight / references.heaviest,
  };
  const eligible = exclusions.length === 0;
  return {
    agent: agent.name,
    eligible,
    score: eligible ? totalScore(components) : 0,
    components: roundComponents(components),
    reasons: eligible ? notes : exclusions,
  };
}

/** best / own, with `floor` added to both and `own` at least `minimum`; UNKNOWN without data. */
function ratio(
  best: number | undefined,
  own: number | null | undefined,
  floor: number,
  minimum: number,
): number {
  if (best === undefined || own === null || own === undefined) return UNKNOWN;
  return Math.min(1, (best + floor) / (Math.max(minimum, own) + floor));
}

function totalScore(components: SuitabilityComponents): number {
  let total = 0;
  for (const key of Object.keys(SUITABILITY_POINTS) as (keyof SuitabilityComponents)[]) {
    total += SUITABILITY_POINTS[key] * components[key];
  }
  return Math.round(total * 10) / 10;
}

function roundComponents(components: SuitabilityComponents): SuitabilityComponents {
  const rounded = { ...components };
  for (const key of Object.keys(rounded) as (keyof SuitabilityComponents)[]) {
    rounded[key] = Math.round(rounded[key] * 1000) / 1000;
  }
  return rounded;
}
