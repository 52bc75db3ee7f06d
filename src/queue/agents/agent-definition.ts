import type { OrkestraConfig } from "../../config/index.js";

/** One agent's settings from `agents:` in orkestra.yaml, after defaults. */
export type AgentConfig = OrkestraConfig["agents"][string];

/** The configuration's `agents:`: agent names to their settings. */
export type AgentsConfig = Readonly<Record<string, AgentConfig>>;

/** An agent with its name. */
export interface AgentDefinition extends AgentConfig {
  readonly name: string;
}

/**
 * The agents of the configuration as a list in name order (code-unit order, not the locale's),
 * so everything computed from it is deterministic.
 */
export function agentDefinitions(agents: AgentsConfig): AgentDefinition[] {
  return Object.keys(agents)
    .sort(compareNames)
    .map((name) => ({ ...(agents[name] as AgentConfig), name }));
}

/**
 * The model aliases whose ledger rows are an agent's calls: its model's chain members, or the
 * alias itself.
 */
export function agentModelAliases(
  model: string,
  fallbacks: Readonly<Record<string, readonly string[]>>,
): string[] {
  const members = ownValue(fallbacks, model);
  return members === undefined ? [model] : [...new Set(members)];
}

/** Code-unit order: the same on every machine, whatever its locale. */
export function compareNames(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** `record[key]` when `key` is the record's own (so an agent named `constructor` is safe). */
export function ownValue<T>(
  record: Readonly<Record<string, T>> | undefined,
  key: string,
): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
