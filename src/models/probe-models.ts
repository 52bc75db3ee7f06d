import { ModelError } from "./errors/model-error.js";
import type { Gateway } from "./gateway.js";
import type { TokenUsage } from "./usage/token-usage.js";

export interface ProbeOptions {
  /** Time each model gets, ms: the attempt's timeout and the call's deadline. @defaultValue 20000 */
  timeoutMs?: number;
  /** Output token cap of the probe. @defaultValue 16 */
  maxTokens?: number;
  /** @defaultValue "Reply with the single word: ok" */
  prompt?: string;
  /** Cancels every probe still running (Ctrl-C). */
  signal?: AbortSignal;
}

/** How one model answered a probe. */
export type ModelProbe = {
  /** The alias probed. */
  model: string;
  provider: string;
  /** The provider's model id. */
  modelId: string;
  /** Simulated models are labelled so in every output, answered or not. */
  simulated: boolean;
  /** Wall time of the probe, ms. */
  latencyMs: number;
} & (
  | {
      ok: true;
      text: string;
      finishReason: string;
      usage: TokenUsage;
      costUsd: number;
    }
  | { ok: false; error: ModelError }
);

export const DEFAULT_PROBE_TIMEOUT_MS = 20_000;
export const DEFAULT_PROBE_MAX_TOKENS = 16;
const PROBE_PROMPT = "Reply with the single word: ok";

/**
 * The models `names` stand for: each alias itself, each fallback chain its members, in order
 * and without repeats; every configured model when `names` is empty. Unknown names are a usage
 * error that lists the known ones.
 */
export function probeTargets(gateway: Gateway, names: readonly string[]): string[] {
  if (names.length === 0) return gateway.models;
  const targets: string[] = [];
  for (const name of names) {
    for (const alias of gateway.resolveChain(name))
      if (!targets.includes(alias)) targets.push(alias);
  }
  return targets;
}

/**
 * Sends one tiny request to each model at once, with no retries and no fallback, and reports
 * whether it answered, how fast, and how it failed: `orkestra models test`. Calls travel the
 * normal path (budget, rate limit, breaker, ledger), so probes are accounted like any call.
 */
export async function probeModels(
  gateway: Gateway,
  names: readonly string[] = [],
  options: ProbeOptions = {},
): Promise<ModelProbe[]> {
  const targets = probeTargets(gateway, names);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  return Promise.all(
    targets.map(async (alias): Promise<ModelProbe> => {
      const startedAt = Date.now();
      const plan = gateway.plan(alias);
      const identity = {
        model: alias,
        provider: plan.provider,
        modelId: plan.modelId,
        simulated: plan.simulated,
      };
      try {
        const result = await gateway.generate({
          model: alias,
          prompt: options.prompt ?? PROBE_PROMPT,
          maxTokens: options.maxTokens ?? DEFAULT_PROBE_MAX_TOKENS,
          timeoutMs,
          deadlineMs: timeoutMs,
          retries: 0,
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
        return {
          ...identity,
          latencyMs: Date.now() - startedAt,
          ok: true,
          text: result.text,
          finishReason: result.finishReason,
          usage: result.usage,
          costUsd: result.costUsd,
        };
      } catch (thrown) {
        if (!ModelError.isInstance(thrown)) throw thrown;
        return { ...identity, latencyMs: Date.now() - startedAt, ok: false, error: thrown };
      }
    }),
  );
}
