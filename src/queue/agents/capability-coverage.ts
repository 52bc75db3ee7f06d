import { normalizeTag } from "../../config/agents-schema.js";
import type { AgentsConfig } from "./agent-definition.js";

/**
 * The required capabilities that no agent has (lower-cased, in the order given): a task that
 * needs one waits until an agent with it is configured.
 */
export function missingCapabilities(required: readonly string[], agents: AgentsConfig): string[] {
  const offered = new Set(
    Object.values(agents).flatMap((agent) => agent.capabilities.map(normalizeTag)),
  );
  return [...new Set(required.map(normalizeTag))].filter((capability) => !offered.has(capability));
}

/**
 * The warning `orkestra task add` prints for a task that needs capabilities no agent has, or
 * undefined when some agent has each. The task is still added: it waits.
 */
export function capabilityWarning(
  required: readonly string[],
  agents: AgentsConfig,
): string | undefined {
  const missing = missingCapabilities(required, agents);
  if (missing.length === 0) return undefined;
  return (
    `${noAgentHas(missing)}; the task will wait until one does. ` +
    `Add ${missing.length === 1 ? "it" : "them"} to an agent's capabilities under agents: in orkestra.yaml.`
  );
}

/** "no agent has capability x" or "no agent has capabilities x, y". */
export function noAgentHas(missing: readonly string[]): string {
  return missing.length === 1
    ? `no agent has capability ${missing[0]}`
    : `no agent has capabilities ${missing.join(", ")}`;
}
