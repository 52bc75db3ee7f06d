import { z } from "zod";
import {
  aliasSchema,
  budgetSchema,
  gatewaySchema,
  modelConfigSchema,
} from "./model-settings-schema.js";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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
    store: z.string().min(1).optional(),
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
  })
  .superRefine((config, context) => {
    const aliases = new Set(Object.keys(config.models));
    for (const [chain, members] of Object.entries(config.fallbacks)) {
      if (aliases.has(chain)) {
        context.addIssue({
          code: "custom",
          path: ["fallbacks", chain],
          message: `"${chain}" is both a model alias and a fallback chain; rename one of them`,
        });
      }
      members.forEach((member, index) => {
        if (!aliases.has(member)) {
          context.addIssue({
            code: "custom",
            path: ["fallbacks", chain, index],
            message: `unknown model alias "${member}"`,
            params: { known: [...aliases] },
          });
        }
      });
    }
    for (const alias of Object.keys(config.budget?.per_model ?? {})) {
      if (!aliases.has(alias)) {
        context.addIssue({
          code: "custom",
          path: ["budget", "per_model", alias],
          message: `unknown model alias "${alias}"`,
          params: { known: [...aliases] },
        });
      }
    }
  });

/** The configuration file as written (defaults not yet applied). */
export type ConfigInput = z.input<typeof configSchema>;
/** The configuration after validation and defaults. */
export type OrkestraConfig = z.output<typeof configSchema>;
