import type { LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { ModelError } from "../errors/model-error.js";
import { modelLabel } from "../errors/model-error-message.js";
import type { ModelPlan } from "../routing/model-plan.js";
import { BYTES_PER_TOKEN } from "../usage/token-estimate.js";

/**
 * How far the estimate may pass `maxTokens` before the stream is cut. The estimate counts
 * bytes, not the provider's tokens: on English prose a token averages 4 to 5 bytes, so an
 * honest answer of exactly `maxTokens` can estimate 25% over. Half again keeps such answers
 * whole while stopping a provider that ignores the limit (5,000 tokens for 100) at once.
 */
export const OUTPUT_BOUND_TOLERANCE = 1.5;

/**
 * Passes a model's stream parts through until the streamed output (text and reasoning) is
 * estimated past what was asked for and held: `maxTokens`. Then it sends one `error` part,
 * which ends the answer as incomplete, and cancels the provider's stream, so a provider that
 * ignores `maxTokens` stops being read (and, on most, stops generating).
 */
export function boundOutput(
  plan: ModelPlan,
  maxTokens: number,
): TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart> {
  const limitBytes = maxTokens * OUTPUT_BOUND_TOLERANCE * BYTES_PER_TOKEN;
  let bytes = 0;
  return new TransformStream({
    transform(part, controller) {
      controller.enqueue(part);
      if (part.type !== "text-delta" && part.type !== "reasoning-delta") return;
      bytes += Buffer.byteLength(part.delta, "utf8");
      if (bytes <= limitBytes) return;
      const streamed = Math.ceil(bytes / BYTES_PER_TOKEN);
      controller.enqueue({
        type: "error",
        error: new ModelError(
          `${modelLabel(plan.alias, plan.provider, plan.modelId)}: stream cut off: the provider sent about ${streamed} output tokens for maxTokens ${maxTokens} (it ignores the limit); the call's cost was held for ${maxTokens}`,
          {
            kind: "server",
            model: plan.alias,
            provider: plan.provider,
            retryable: false,
            providerCode: "max_tokens_ignored",
            hint: `The partial answer is kept. If answers need more room, raise maxTokens (models.${plan.alias}.maxTokens or the request's maxTokens).`,
          },
        ),
      });
      controller.terminate();
    },
  });
}
