import type { CircuitBreaker, CircuitBreakerRegistry, ModelErrorKind } from "../../models/index.js";
import { countsAsBreakerFailure } from "../../models/routing/circuit-breaker.js";
import type { Store } from "../../store/index.js";
import {
  type AgentsConfig,
  agentDefinitions,
  agentModelAliases,
  ownValue,
} from "./agent-definition.js";
import {
  countOutcomes,
  type LatencyPercentiles,
  type LedgerOutcome,
  latencyPercentiles,
  latestOutcomes,
} from "./agent-ledger-queries.js";

/** The state of a circuit breaker. */
export type AgentBreakerState = CircuitBreaker["state"];

/** Health windows default to the last hour. */
export const DEFAULT_HEALTH_WINDOW_MS = 3_600_000;
/** How many of the latest calls are walked to count consecutive failures. */
const LATEST_CALLS = 200;

/** How one agent's model has done over a window, from the ledger (`model_calls`). */
export interface AgentHealth {
  agent: string;
  /** The aliases whose calls are the agent's: its model, or the members of its chain. */
  models: string[];
  /** The window: calls made at or after `since` (epoch ms), `windowMs` long. */
  since: number;
  windowMs: number;
  /** Ledger rows of the window: one per model tried, so a fallback hop counts as a call. */
  calls: number;
  successes: number;
  /** successes / calls; null without calls. */
  successRate: number | null;
  /** Of successful calls, nearest rank. */
  latencyMs: LatencyPercentiles;
  /** Failed calls by error kind (`incomplete` streams under their kind), most frequent first. */
  errorKinds: { kind: string; count: number }[];
  spendUsd: number;
  /** spendUsd / successes: what an answer cost; null without a success. */
  costPerAnswerUsd: number | null;
  /**
   * Failures in a row among the latest calls, counting only kinds that say the model is
   * unhealthy (those the breaker counts); other kinds (cancelled, invalid_request, …) are
   * skipped, as the breaker skips them.
   */
  consecutiveFailures: number;
  /** Kind of the latest failure counted above. */
  lastFailureKind: string | null;
  /**
   * `source: "gateway"` is the live breaker of the gateway whose registry was passed (a chain is
   * open only when every member is). `source: "ledger"` is the same rule replayed from the
   * ledger, across processes: open while `consecutiveFailures` ≥ the threshold and the latest
   * failure is within the cool-down, half-open after it.
   */
  breaker: { state: AgentBreakerState; source: "gateway" | "ledger" };
  /** The ledger says open (see `breaker`): assignment skips the agent until the cool-down ends. */
  failing: boolean;
}

export interface AgentHealthOptions {
  /** The configuration's `agents:`. */
  agents: AgentsConfig;
  /** The configuration's `fallbacks:`, to find a chain's members. */
  fallbacks: Readonly<Record<string, readonly string[]>>;
  /** @defaultValue {@link DEFAULT_HEALTH_WINDOW_MS} (1 h) */
  windowMs?: number;
  /** Epoch ms. @defaultValue Date.now() */
  now?: number;
  /**
   * The breakers of the gateway that runs the agents (the registry it was created with). Without
   * it, breaker state is derived from the ledger.
   */
  breakers?: Pick<CircuitBreakerRegistry, "snapshot">;
  /** Consecutive failures that make an agent failing. @defaultValue 5, as gateway.breaker */
  failureThreshold?: number;
  /** How long a failing agent stays failing after its latest failure. @defaultValue 30000 */
  cooldownMs?: number;
}

/** Health of every configured agent, in name order. Three indexed queries per agent. */
export async function readAgentHealth(
  store: Store,
  options: AgentHealthOptions,
): Promise<AgentHealth[]> {
  const now = options.now ?? Date.now();
  const windowMs = options.windowMs ?? DEFAULT_HEALTH_WINDOW_MS;
  const since = now - windowMs;
  const threshold = options.failureThreshold ?? 5;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const snapshot = options.breakers?.snapshot();
  const health: AgentHealth[] = [];
  for (const agent of agentDefinitions(options.agents)) {
    const models = agentModelAliases(agent.model, options.fallbacks);
    const [outcomes, latencyMs, latest] = await Promise.all([
      countOutcomes(store, models, since),
      latencyPercentiles(store, models, since),
      latestOutcomes(store, models, since, LATEST_CALLS),
    ]);
    let calls = 0;
    let successes = 0;
    let spendUsd = 0;
    const kinds = new Map<string, number>();
    for (const group of outcomes) {
      calls += group.calls;
      spendUsd += group.costUsd;
      if (group.outcome === "success") successes += group.calls;
      else {
        const kind = group.errorKind ?? group.outcome;
        kinds.set(kind, (kinds.get(kind) ?? 0) + group.calls);
      }
    }
    const streak = failureStreak(latest);
    const ledgerState: AgentBreakerState =
      streak.count < threshold
        ? "closed"
        : now - (streak.latestAt ?? 0) < cooldownMs
          ? "open"
          : "half-open";
    health.push({
      agent: agent.name,
      models,
      since,
      windowMs,
      calls,
      successes,
      successRate: calls === 0 ? null : successes / calls,
      latencyMs,
      errorKinds: [...kinds]
        .map(([kind, count]) => ({ kind, count }))
        .sort((left, right) => right.count - left.count || (left.kind < right.kind ? -1 : 1)),
      spendUsd,
      costPerAnswerUsd: successes === 0 ? null : spendUsd / successes,
      consecutiveFailures: streak.count,
      lastFailureKind: streak.kind,
      breaker:
        snapshot === undefined
          ? { state: ledgerState, source: "ledger" }
          : { state: chainState(models, snapshot), source: "gateway" },
      failing: ledgerState === "open",
    });
  }
  return health;
}

/** Health keyed by agent name, the shape suitability takes. */
export function healthByAgent(health: readonly AgentHealth[]): Record<string, AgentHealth> {
  return Object.fromEntries(health.map((entry) => [entry.agent, entry]));
}

function failureStreak(latest: readonly LedgerOutcome[]): {
  count: number;
  kind: string | null;
  latestAt: number | undefined;
} {
  let count = 0;
  let kind: string | null = null;
  let latestAt: number | undefined;
  for (const call of latest) {
    if (call.outcome === "success") break;
    if (call.errorKind === null || !countsAsBreakerFailure(call.errorKind as ModelErrorKind)) {
      continue;
    }
    count += 1;
    kind ??= call.errorKind;
    latestAt ??= call.createdAt;
  }
  return { count, kind, latestAt };
}

// A chain answers while any member can: it is closed when one member is, half-open when one
// can probe, open only when all are. An alias the registry has not seen is closed: the
// registry builds its breaker closed on first use.
function chainState(
  models: readonly string[],
  snapshot: Readonly<Record<string, { state: AgentBreakerState }>>,
): AgentBreakerState {
  const states = models.map((alias) => ownValue(snapshot, alias)?.state ?? "closed");
  if (states.includes("closed")) return "closed";
  if (states.includes("half-open")) return "half-open";
  return "open";
}
