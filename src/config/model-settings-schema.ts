import { z } from "zod";

/**
 * Every way a model call can fail, after classification. Defined here, with the rest of the
 * configuration vocabulary, because `fallbackOn` lists them; `models/` re-exports it.
 */
export const MODEL_ERROR_KINDS = [
  "auth",
  "rate_limit",
  "timeout",
  "invalid_request",
  "not_found",
  "overloaded",
  "server",
  "network",
  "parse",
  "context_length",
  "content_filter",
  "quota_exhausted",
  "budget_exceeded",
  "cancelled",
] as const;

export type ModelErrorKind = (typeof MODEL_ERROR_KINDS)[number];

/** Kinds that never move on to the next model of a fallback chain, unless configured. */
export const NO_FALLBACK_KINDS: readonly ModelErrorKind[] = ["cancelled", "budget_exceeded"];

export const PROVIDERS = [
  "openai",
  "anthropic",
  "google",
  "xai",
  "openai-compatible",
  "simulated",
] as const;

export type ProviderName = (typeof PROVIDERS)[number];

/** The variable each hosted provider's key is read from when a model sets no `apiKeyEnv`. */
export const HOSTED_API_KEY_ENV = {
  openai: "OPENAI_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
  google: "GOOGLE_GENERATIVE_AI_API_KEY",
  xai: "XAI_API_KEY",
} as const;

/** The same for every provider: openai-compatible and simulated have no standard variable. */
export const DEFAULT_API_KEY_ENV: Readonly<Record<ProviderName, string | undefined>> = {
  ...HOSTED_API_KEY_ENV,
  "openai-compatible": undefined,
  simulated: undefined,
};

/** Model aliases, fallback chain names and per-model budget keys. */
export const aliasSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_.-]*$/,
    "a name of letters, digits, '_', '.' or '-', starting with a letter",
  );

const positiveInt = z.number().int().positive();
const usdPerMillionTokens = z.number().nonnegative();

export const errorKindSchema = z.enum(MODEL_ERROR_KINDS);

export const breakerSchema = z.strictObject({
  /** Consecutive failures that open the breaker. @defaultValue 5 */
  failureThreshold: positiveInt.default(5),
  /** How long an open breaker skips the model before one probe call. @defaultValue 30000 */
  cooldownMs: positiveInt.default(30_000),
});

export const limitsSchema = z.strictObject({
  /** Requests per minute, shared by every concurrent call in the process. */
  requestsPerMinute: positiveInt.optional(),
  /** Input plus output tokens per minute. */
  tokensPerMinute: positiveInt.optional(),
});

/** USD per million tokens. Overrides the shipped price table for this model. */
export const priceSchema = z.strictObject({
  input: usdPerMillionTokens,
  output: usdPerMillionTokens,
  /** Cached input read; defaults to `input`. */
  cacheRead: usdPerMillionTokens.optional(),
  /** Cached input written; defaults to `input`. */
  cacheWrite: usdPerMillionTokens.optional(),
  /** Reasoning output; defaults to `output`. */
  reasoning: usdPerMillionTokens.optional(),
});

const modelCommon = {
  /** Per-attempt timeout in milliseconds. @defaultValue gateway.attemptTimeoutMs */
  timeoutMs: positiveInt.optional(),
  /** Retries on this model after the first attempt. @defaultValue gateway.retries */
  retries: z.number().int().min(0).max(10).optional(),
  /** Output token cap sent with every call; also bounds the budget reservation. */
  maxTokens: positiveInt.optional(),
  temperature: z.number().min(0).max(2).optional(),
  limits: limitsSchema.optional(),
  price: priceSchema.optional(),
  /** Error kinds after which a chain moves on from this model. @defaultValue gateway.fallbackOn */
  fallbackOn: z.array(errorKindSchema).optional(),
  breaker: breakerSchema.partial().optional(),
};

const envVarName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name such as MY_API_KEY");

/** A provider base URL. Credentials belong in `apiKeyEnv`, never in the URL (fetch refuses them). */
const baseUrlSchema = z.url().refine(
  (url) => {
    try {
      const parsed = new URL(url);
      return parsed.username === "" && parsed.password === "";
    } catch {
      return true;
    }
  },
  { message: "a URL without user:password@ (put the key in the variable named by apiKeyEnv)" },
);

const hostedModel = {
  ...modelCommon,
  /** The provider's model id (`claude-sonnet-4-5`, `gpt-5`). */
  model: z.string().min(1),
  baseURL: baseUrlSchema.optional(),
  /** Environment variable holding the API key. Defaults per provider (OPENAI_API_KEY, ...). */
  apiKeyEnv: envVarName.optional(),
  /** Extra HTTP headers sent with every request. */
  headers: z.record(z.string(), z.string()).optional(),
};

export const simulatedFailuresSchema = z.partialRecord(errorKindSchema, z.number().min(0).max(1));

export const modelConfigSchema = z.discriminatedUnion("provider", [
  z.strictObject({ provider: z.literal("openai"), ...hostedModel }),
  z.strictObject({ provider: z.literal("anthropic"), ...hostedModel }),
  z.strictObject({ provider: z.literal("google"), ...hostedModel }),
  z.strictObject({ provider: z.literal("xai"), ...hostedModel }),
  z.strictObject({
    provider: z.literal("openai-compatible"),
    ...hostedModel,
    baseURL: baseUrlSchema,
  }),
  z.strictObject({
    provider: z.literal("simulated"),
    ...modelCommon,
    model: z.string().min(1).default("simulated"),
    /** Fixed latency, or a [min, max] range drawn from the seeded generator. */
    latencyMs: z
      .union([
        z.number().int().nonnegative(),
        z
          .tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])
          .refine(([low, high]) => low <= high, {
            message: "expected a [min, max] range with min ≤ max",
            params: { expected: "a [min, max] range with min ≤ max" },
          }),
      ])
      .default([50, 400]),
    /** Probability of each error kind per attempt, for example `{ rate_limit: 0.05 }`. */
    failures: simulatedFailuresSchema.default({}),
    seed: z.number().int().default(1),
    /** Fixed answer text; by default the answer is derived from the prompt. */
    reply: z.string().optional(),
  }),
]);

export type ModelConfig = z.output<typeof modelConfigSchema>;
export type HostedModelConfig = Exclude<ModelConfig, { provider: "simulated" }>;
export type SimulatedModelConfig = Extract<ModelConfig, { provider: "simulated" }>;

const usdLimit = z.number().positive();

export const budgetSchema = z.strictObject({
  daily_usd: usdLimit.optional(),
  monthly_usd: usdLimit.optional(),
  per_model: z
    .record(
      aliasSchema,
      z.strictObject({ daily_usd: usdLimit.optional(), monthly_usd: usdLimit.optional() }),
    )
    .optional(),
});

export type BudgetConfig = z.output<typeof budgetSchema>;

export const gatewaySchema = z.strictObject({
  /** Per-attempt timeout. @defaultValue 60000 */
  attemptTimeoutMs: positiveInt.default(60_000),
  /** Overall deadline across retries and fallbacks. @defaultValue 300000 */
  deadlineMs: positiveInt.default(300_000),
  /** Retries per model after the first attempt. @defaultValue 3 */
  retries: z.number().int().min(0).max(10).default(3),
  backoff: z
    .strictObject({
      /** @defaultValue 1000 */
      baseMs: positiveInt.default(1_000),
      /** @defaultValue 8000 */
      capMs: positiveInt.default(8_000),
    })
    .prefault({}),
  /** A Retry-After longer than this moves to the next model instead of waiting. @defaultValue 60000 */
  maxRetryAfterMs: positiveInt.default(60_000),
  /** Error kinds after which a chain moves on. @defaultValue every kind but cancelled and budget_exceeded */
  fallbackOn: z
    .array(errorKindSchema)
    .default(MODEL_ERROR_KINDS.filter((kind) => !NO_FALLBACK_KINDS.includes(kind))),
  breaker: breakerSchema.prefault({}),
  /** Output token cap when a model sets none. @defaultValue 4096 */
  defaultMaxTokens: positiveInt.default(4_096),
  /**
   * A stream that has started answering and then sends nothing for this long is cut and ends
   * incomplete. (Before the first content, the per-attempt timeout applies.) @defaultValue 30000
   */
  streamIdleTimeoutMs: positiveInt.default(30_000),
});

export type GatewayConfig = z.output<typeof gatewaySchema>;
