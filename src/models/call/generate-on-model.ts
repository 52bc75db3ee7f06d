import type { LanguageModelV4GenerateResult, LanguageModelV4Prompt } from "@ai-sdk/provider";
import { labelledModelError } from "../errors/model-error-message.js";
import { judgeFailedAttempt, waitBeforeRetry } from "../routing/attempt-failure.js";
import { TimedSignal } from "../routing/attempt-signal.js";
import type { ModelPlan } from "../routing/model-plan.js";
import { addResponseUsage, type TokenUsage, ZERO_USAGE } from "../usage/token-usage.js";
import { endModel, type ModelEnding, type ModelOutcome } from "./end-model.js";
import type { CallContext, GatewayServices } from "./model-call-context.js";
import { admitAttempt, prepareModel } from "./prepare-model.js";
import { parseStructured, repairMessage } from "./structured-output.js";

export function answerText(response: LanguageModelV4GenerateResult): string {
  let text = "";
  for (const part of response.content) if (part.type === "text") text += part.text;
  return text;
}

/**
 * Calls one model of the chain until it answers, or the retry policy says to move on or stop.
 * Breaker, rate limiter and budget wrap every attempt; every path settles what it took.
 */
export async function generateOnModel(
  services: GatewayServices,
  plan: ModelPlan,
  context: CallContext,
): Promise<ModelOutcome> {
  const preparation = await prepareModel(services, plan, context);
  if ("outcome" in preparation) return preparation.outcome;
  const { handle, maxTokens, hold, startedAt: modelStartedAt } = preparation.prepared;
  const books = { hold, startedAt: modelStartedAt, streamed: false };
  const request = context.request;

  let prompt: LanguageModelV4Prompt = context.prompt;
  let usage: TokenUsage = ZERO_USAGE;
  let repaired = false;
  // The attempt loop ends in an answer or a failure, settled after the loop by `endModel`,
  // outside the attempt's `try`: a store failure there must not pass for the model's.
  let ending: Exclude<ModelEnding, { type: "incomplete" }> | undefined;

  for (let attempt = 1; ending === undefined; attempt += 1) {
    const admission = await admitAttempt(
      services,
      plan,
      context,
      attempt,
      context.inputBound + maxTokens,
    );
    if (!admission.admitted) {
      ending =
        "stop" in admission
          ? { type: "failed", failure: admission.stop, usage }
          : { type: "skipped", error: admission.skip };
      break;
    }
    const { permit, breakerDecision, startedAt, timeoutMs } = admission;
    const attemptSignal = new TimedSignal(context.callSignal, { ms: timeoutMs });
    plan.log.debug({ attempt, timeoutMs, maxTokens }, `calling ${plan.provider} ${plan.modelId}`);
    try {
      const response = await handle.model.doGenerate({
        prompt,
        maxOutputTokens: maxTokens,
        ...((request.temperature ?? plan.temperature) === undefined
          ? {}
          : { temperature: request.temperature ?? plan.temperature }),
        ...(context.responseFormat === undefined ? {} : { responseFormat: context.responseFormat }),
        abortSignal: attemptSignal.signal,
      });
      const counted = addResponseUsage(usage, response.usage);
      permit.settle(counted.response.totalTokens);
      usage = counted.total;
      const text = answerText(response);
      if (text === "" && response.finishReason.unified === "content-filter") {
        throw labelledModelError(plan, `the provider blocked the answer (content filter)`, {
          kind: "content_filter",
          providerCode: response.finishReason.raw,
        });
      }
      let object: unknown;
      if (request.schema) {
        const parsed = parseStructured(text, request.schema);
        if (!parsed.ok) {
          if (repaired) {
            throw labelledModelError(plan, `structured output rejected twice: ${parsed.problem}`, {
              kind: "parse",
              retryable: false,
              providerCode: "schema_mismatch",
            });
          }
          repaired = true;
          plan.breaker.recordSuccess(breakerDecision);
          plan.log.info(
            { attempt, problem: parsed.problem },
            "structured output rejected; asking the model to correct it",
          );
          prompt = [
            ...prompt,
            { role: "assistant", content: [{ type: "text", text }] },
            { role: "user", content: [{ type: "text", text: repairMessage(parsed.problem) }] },
          ];
          continue;
        }
        object = parsed.value;
      }
      plan.breaker.recordSuccess(breakerDecision);
      plan.log.debug(
        {
          attempt,
          latencyMs: services.now() - startedAt,
          finishReason: response.finishReason.unified,
        },
        "attempt answered",
      );
      ending = {
        type: "answered",
        text,
        object,
        finishReason: response.finishReason.unified,
        usage,
        attempts: attempt,
      };
    } catch (thrown) {
      permit.release();
      const verdict = judgeFailedAttempt(services, plan, context, {
        thrown,
        attempt,
        startedAt,
        timeoutMs,
        timedOut: attemptSignal.timedOut,
        breakerDecision,
      });
      const stop =
        verdict.next === "stop" ? verdict : await waitBeforeRetry(plan, context, verdict.delayMs);
      if (stop) ending = { type: "failed", failure: stop, usage };
    } finally {
      attemptSignal.dispose();
    }
  }

  if (ending === undefined) throw new Error("generateOnModel: attempts ended without an outcome");
  // Awaited here, so this loop is left once, when its model's books are closed.
  return await endModel(services, plan, context, books, ending);
}
