import { z } from "zod";
import { aliasSchema } from "./model-settings-schema.js";

/**
 * A capability or specialty: one word, so `--capabilities design,review` can list several.
 * `+`, `#`, `.` and `:` are allowed for names such as `c++`, `c#`, `node.js` and `lang:go`.
 * Tasks' required capabilities follow the same pattern (the queue imports it).
 */
export const CAPABILITY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.+#:-]{0,99}$/;

/**
 * The form capabilities and specialties are compared in: `Code`, `code` and `CODE` are one
 * capability wherever a task's are matched against an agent's or a worker's (docs/agents.md).
 */
export function normalizeTag(tag: string): string {
  return tag.trim().toLowerCase();
}

const tagSchema = z
  .string()
  .regex(
    CAPABILITY_PATTERN,
    "a word of up to 100 letters, digits, '_', '.', '+', '#', ':' or '-', such as code or typescript",
  );

/**
 * One agent under `agents:`: a model (alias or fallback chain) with a role and what it is good
 * at. Assignment gives a task to the most suitable agent with free capacity (docs/agents.md).
 */
export const agentConfigSchema = z.strictObject({
  /** A model alias under `models:` or a chain under `fallbacks:`. */
  model: aliasSchema,
  /** Sent as the system prompt of the agent's tasks: "plans and reviews designs". */
  role: z.string().min(1).optional(),
  /** What the agent can do; a task's required capabilities must all be here. @defaultValue [] */
  capabilities: z.array(tagSchema).default([]),
  /** What the agent is best at; raises its score for tasks that mention one. @defaultValue [] */
  specialties: z.array(tagSchema).default([]),
  /** Preference among suitable agents; higher is preferred. @defaultValue 1 */
  weight: z.number().positive().default(1),
  /** Tasks this agent runs at once, across every worker. @defaultValue 1 */
  maxConcurrent: z.number().int().min(1).default(1),
});

/** `agents:` — agent names (letters, digits, `_`, `.`, `-`) to their settings. */
export const agentsSchema = z.record(aliasSchema, agentConfigSchema).default({});

/** One agent's settings after defaults. */
export type AgentConfig = z.output<typeof agentConfigSchema>;

/**
 * Cross-reference: each agent's `model` names a configured model alias or fallback chain.
 * Defensive about shapes, because it also runs on input that failed validation.
 */
export function checkAgentModels(
  config: { models?: unknown; fallbacks?: unknown; agents?: unknown },
  context: z.RefinementCtx,
): void {
  if (!isRecord(config.agents)) return;
  const known = [
    ...(isRecord(config.models) ? Object.keys(config.models) : []),
    ...(isRecord(config.fallbacks) ? Object.keys(config.fallbacks) : []),
  ];
  for (const [name, agent] of Object.entries(config.agents)) {
    if (!isRecord(agent) || typeof agent.model !== "string") continue;
    if (known.includes(agent.model)) continue;
    context.addIssue({
      code: "custom",
      path: ["agents", name, "model"],
      message: `unknown model alias or fallback chain "${agent.model}"`,
      params: { known: [...new Set(known)] },
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
