import { z } from "zod";
import { LOGGER_LEVELS, type LogLevel } from "../observability/log-level.js";
import { agentsSchema, checkAgentModels } from "./agents-schema.js";
import {
  aliasSchema,
  budgetSchema,
  gatewaySchema,
  modelConfigSchema,
} from "./model-settings-schema.js";
import { schedulesSchema } from "./schedules-schema.js";

// The logger's own list: the configuration accepts exactly the levels the logger knows.
export const LOG_LEVELS = LOGGER_LEVELS;
export type { LogLevel };

/**
 * The whole of `orkestra.yaml`. Every object is strict: an unknown key is an error, so a typo
 * never silently falls back to a default.
 */
export const configSchema = z
  .strictObject({
    /** Editors' JSON Schema pointer; ignored. */
    $schema: z.string().optional(),
    /** Directory for Orkestra's own files. Env override: WORKSPACE_DIR. @defaultValue "." */
    workspace: z.string().min(1).default("."),
    /**
     * `sqlite:<path>` or `postgres://…`. Env override: ORKESTRA_STORE.
     * @defaultValue "sqlite:<workspace>/.orkestra/orkestra.db"
     */
    store: z
      .string()
      .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, "sqlite:<path> or postgres://user@host/database")
      .optional(),
    log: z
      .strictObject({
        /** Env override: LOG_LEVEL. @defaultValue "info" */
        level: z.enum(LOG_LEVELS).default("info"),
      })
      .prefault({}),
    /** Model aliases. With none configured, a built-in `sim` (simulated) model is used. */
    models: z.record(aliasSchema, modelConfigSchema).default({}),
    /** Named fallback chains: `smart: [grok, gemini, gpt]`. */
    fallbacks: z.record(aliasSchema, z.array(aliasSchema).min(1)).default({}),
    budget: budgetSchema.optional(),
    gateway: gatewaySchema.prefault({}),
    /** Agents: a model with a role, capabilities and capacity, that tasks are assigned to. */
    agents: agentsSchema,
    /** Cron schedules that enqueue a workflow run or a task; see docs/schedules.md. */
    schedules: schedulesSchema.default({}),
  })
  // By default zod skips refinements once any other issue was found; running this one anyway
  // lets a file with a type error and a misspelt fallback alias report both at once.
  .superRefine(checkAliasReferences, { when: (payload) => isRecord(payload.value) })
  .superRefine(checkAgentModels, { when: (payload) => isRecord(payload.value) });

/**
 * Cross-references between sections: fallback chains and per-model budgets must name configured
 * model aliases. Defensive about shapes, because it also runs on input that failed validation.
 */
function checkAliasReferences(
  config: { models: unknown; fallbacks: unknown; budget?: { per_model?: unknown } | undefined },
  context: z.RefinementCtx,
): void {
  const aliases = new Set(isRecord(config.models) ? Object.keys(config.models) : []);
  const fallbacks = isRecord(config.fallbacks) ? config.fallbacks : {};
  for (const [chain, members] of Object.entries(fallbacks)) {
    if (aliases.has(chain)) {
      context.addIssue({
        code: "custom",
        path: ["fallbacks", chain],
        message: `"${chain}" is both a model alias and a fallback chain; rename one of them`,
      });
    }
    if (!Array.isArray(members)) continue;
    members.forEach((member: unknown, index) => {
      if (typeof member === "string" && !aliases.has(member)) {
        context.addIssue({
          code: "custom",
          path: ["fallbacks", chain, index],
          message: `unknown model alias "${member}"`,
          params: { known: [...aliases] },
        });
      }
    });
  }
  const budget: unknown = config.budget;
  const perModel = isRecord(budget) && isRecord(budget.per_model) ? budget.per_model : {};
  for (const alias of Object.keys(perModel)) {
    if (!aliases.has(alias)) {
      context.addIssue({
        code: "custom",
        path: ["budget", "per_model", alias],
        message: `unknown model alias "${alias}"`,
        params: { known: [...aliases] },
      });
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The configuration file as written (defaults not yet applied). */
export type ConfigInput = z.input<typeof configSchema>;
/** The configuration after validation and defaults. */
export type OrkestraConfig = z.output<typeof configSchema>;
