import type { CallContext, GatewayServices } from "../call/model-call-context.js";
import type { ModelError } from "../errors/model-error.js";
import type { ModelPlan } from "../routing/model-plan.js";
import { runChain } from "../routing/run-chain.js";
import { EventChannel } from "./event-channel.js";
import { IncompleteStreamError } from "./incomplete-stream-error.js";
import type { ModelStream, ModelStreamEvent } from "./model-stream.js";
import { streamOnModel } from "./stream-on-model.js";

/**
 * One streaming call over its chain, the way `runChain` walks it for `generate`: events go to
 * a channel the caller iterates, and exactly one `finish`, `incomplete` or `error` ends it.
 * Disposes `context` when the call ends.
 */
export function streamCall(
  services: GatewayServices,
  chain: readonly ModelPlan[],
  context: CallContext,
): ModelStream {
  const channel = new EventChannel<ModelStreamEvent>();
  // Each chunk goes from the attempt loop straight into the channel.
  const emit = channel.push;
  const result = runChain(chain, services, context, {
    runModel: async (services, plan, context) => {
      const outcome = await streamOnModel(services, plan, context, emit);
      if (outcome.type === "incomplete") {
        const incomplete = outcome.error;
        emit({
          type: "incomplete",
          model: plan.alias,
          error: incomplete,
          text: incomplete.partialText,
          usage: incomplete.usage,
          usageEstimated: incomplete.usageEstimated,
          costUsd: incomplete.costUsd,
        });
      }
      return outcome;
    },
    onFallback: (from, to, error) =>
      emit({ type: "fallback", from: from.alias, to, kind: error.kind, message: error.message }),
  }).then(
    (answer) => {
      context.dispose();
      emit({ type: "finish", result: answer });
      channel.close();
      return answer;
    },
    (error: unknown) => {
      context.dispose();
      if (!IncompleteStreamError.isInstance(error))
        emit({ type: "error", error: error as ModelError });
      channel.close();
      throw error;
    },
  );
  // Whoever only reads events learns of a failure from them; don't let the promise go
  // unhandled on their behalf. Awaiting `result` still rejects.
  result.catch(() => {});
  return {
    [Symbol.asyncIterator]: () => channel[Symbol.asyncIterator](),
    textStream: async function* () {
      for await (const event of channel) if (event.type === "text") yield event.text;
    },
    result,
  };
}
