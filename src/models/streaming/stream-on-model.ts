import type { LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { boundOutput } from "../budget/output-bound.js";
import {
  endModel,
  type ModelBooks,
  type ModelEnding,
  type StreamOutcome,
} from "../call/end-model.js";
import type { CallContext, GatewayServices } from "../call/model-call-context.js";
import { admitAttempt, prepareModel } from "../call/prepare-model.js";
import { promptTexts } from "../call/prompt-builder.js";
import { classifyError } from "../classify/classify-error.js";
import type { ModelError } from "../errors/model-error.js";
import { labelledModelError } from "../errors/model-error-message.js";
import {
  type FinalDecision,
  judgeFailedAttempt,
  waitBeforeRetry,
} from "../routing/attempt-failure.js";
import {
  attemptTimeoutMessage,
  streamIdleTimeoutMessage,
  TimedSignal,
  timeoutReason,
} from "../routing/attempt-signal.js";
import type { ModelPlan } from "../routing/model-plan.js";
import type { RateLimitPermit } from "../routing/rate-limiter.js";
import { estimateTokens } from "../usage/token-estimate.js";
import { normalizeUsage, type TokenUsage, ZERO_USAGE } from "../usage/token-usage.js";
import type { ModelStreamEvent } from "./model-stream.js";
import { isProviderFinish, notEventStream, streamEndedEarly } from "./stream-ending.js";

type StreamReader = ReadableStreamDefaultReader<LanguageModelV4StreamPart>;

function isContent(part: LanguageModelV4StreamPart): boolean {
  return (
    (part.type === "text-delta" && part.delta !== "") ||
    (part.type === "reasoning-delta" && part.delta !== "") ||
    part.type === "tool-call"
  );
}

/**
 * The attempt's signal, on a timer that aborts it: the per-attempt timeout before content,
 * the idle timeout after. Firing also cancels the reader, so a pending read returns at once.
 * `message` names the timer, so the error says which one fired.
 */
class AttemptWatchdog {
  readonly timed: TimedSignal;
  private reader: StreamReader | undefined;

  constructor(callSignal: AbortSignal) {
    this.timed = new TimedSignal(callSignal);
  }

  get signal(): AbortSignal {
    return this.timed.signal;
  }

  get timedOut(): boolean {
    return this.timed.timedOut;
  }

  /** What the timer that fired said; undefined while none has. */
  get firedMessage(): string | undefined {
    return this.timed.firedMessage;
  }

  watch(reader: StreamReader): void {
    this.reader = reader;
  }

  arm(ms: number, message: string): void {
    this.timed.arm(ms, () => this.reader?.cancel(timeoutReason(message)).catch(() => {}), message);
  }

  dispose(): void {
    this.timed.dispose();
  }
}

/**
 * Streams from one model of the chain. Until the first content arrives, a failure is an
 * ordinary failed attempt (retried or handed to the next model, exactly as in `generate`).
 * From the first content on, the stream is committed: a failure ends it with an
 * `incomplete` event that keeps the partial text and usage, never a clean finish and never
 * a switch to another model mid-answer.
 */
export async function streamOnModel(
  services: GatewayServices,
  plan: ModelPlan,
  context: CallContext,
  emit: (event: ModelStreamEvent) => void,
): Promise<StreamOutcome> {
  const preparation = await prepareModel(services, plan, context);
  if ("outcome" in preparation) return preparation.outcome;
  const { handle, maxTokens, hold, startedAt: modelStartedAt } = preparation.prepared;
  const books: ModelBooks = { hold, startedAt: modelStartedAt, streamed: true };
  const request = context.request;
  const temperature = request.temperature ?? plan.temperature;
  let failure: { error: ModelError; decision: FinalDecision } | undefined;
  // Settled after the loop, outside the attempt's `try`: a store failure there is not the model's.
  let committed: { answer: CommittedAnswer; attempt: CommittedAttempt } | undefined;

  for (let attempt = 1; failure === undefined && committed === undefined; attempt += 1) {
    const admission = await admitAttempt(
      services,
      plan,
      context,
      attempt,
      context.inputBound + maxTokens,
    );
    if (!admission.admitted) {
      if ("stop" in admission) {
        failure = admission.stop;
        break;
      }
      return endModel(services, plan, context, books, { type: "skipped", error: admission.skip });
    }
    const { permit, breakerDecision, startedAt, timeoutMs } = admission;
    const watchdog = new AttemptWatchdog(context.callSignal);
    plan.log.debug(
      { attempt, timeoutMs, maxTokens },
      `streaming from ${plan.provider} ${plan.modelId}`,
    );
    let reader: StreamReader | undefined;
    try {
      watchdog.arm(
        timeoutMs,
        attemptTimeoutMessage(timeoutMs, timeoutMs < (request.timeoutMs ?? plan.timeoutMs)),
      );
      const { stream, response } = await handle.model.doStream({
        prompt: context.prompt,
        maxOutputTokens: maxTokens,
        ...(temperature === undefined ? {} : { temperature }),
        abortSignal: watchdog.signal,
      });
      reader = stream.pipeThrough(boundOutput(plan, maxTokens)).getReader();
      watchdog.watch(reader);
      // When nothing usable came out of a body that is not an event stream, that is the
      // failure, whatever the provider package made of it (no parts, an empty finish, its own
      // error part).
      const notStream = notEventStream(response?.headers?.["content-type"], plan.alias);
      let first: LanguageModelV4StreamPart | undefined;
      while (first === undefined) {
        const { done, value } = await reader.read();
        if (done)
          throw watchdog.firedMessage === undefined
            ? (notStream ?? streamEndedEarly())
            : timeoutReason(watchdog.firedMessage);
        if (value.type === "error") throw notStream ?? value.error;
        if (value.type === "finish" && !isProviderFinish(value))
          throw notStream ?? streamEndedEarly();
        if (value.type === "finish" && value.finishReason.unified === "content-filter") {
          throw labelledModelError(plan, `the provider blocked the answer (content filter)`, {
            kind: "content_filter",
            providerCode: value.finishReason.raw,
          });
        }
        if (isContent(value) || value.type === "finish") first = value;
      }
      plan.breaker.recordSuccess(breakerDecision);
      emit({
        type: "model",
        model: plan.alias,
        provider: plan.provider,
        modelId: plan.modelId,
        simulated: plan.simulated,
      });
      const answer = await readCommitted(plan, first, reader, watchdog, emit);
      watchdog.dispose();
      committed = {
        answer,
        attempt: { permit, attempt, startedAt, timeoutMs },
      };
    } catch (thrown) {
      watchdog.dispose();
      permit.release();
      reader?.cancel().catch(() => {});
      const verdict = judgeFailedAttempt(services, plan, context, {
        thrown,
        attempt,
        startedAt,
        timeoutMs,
        timedOut: watchdog.timedOut,
        ...(watchdog.firedMessage === undefined ? {} : { timeoutDetail: watchdog.firedMessage }),
        breakerDecision,
      });
      if (verdict.next === "stop") {
        failure = verdict;
        break;
      }
      emit({
        type: "retry",
        model: plan.alias,
        attempt,
        kind: verdict.error.kind,
        delayMs: verdict.delayMs,
      });
      failure = await waitBeforeRetry(plan, context, verdict.delayMs);
    }
  }

  if (committed) {
    const ending = committedEnding(services, plan, context, committed.answer, committed.attempt);
    // Awaited, as in generateOnModel: this loop is left once, when the model's books are closed.
    return await endModel(services, plan, context, books, ending);
  }
  if (failure === undefined) throw new Error("streamOnModel: attempts ended without an outcome");
  return await endModel(services, plan, context, books, {
    type: "failed",
    failure,
    usage: ZERO_USAGE,
  });
}

interface CommittedAnswer {
  text: string;
  finishReason: string | undefined;
  /** The provider's usage; undefined when the stream broke off before reporting it. */
  usage: TokenUsage | undefined;
  /** Why the stream broke off; undefined when it finished. */
  broken: unknown;
  /** What the timer that broke it off said; undefined when none did. */
  timeoutDetail: string | undefined;
}

async function readCommitted(
  plan: ModelPlan,
  first: LanguageModelV4StreamPart,
  reader: StreamReader,
  watchdog: AttemptWatchdog,
  emit: (event: ModelStreamEvent) => void,
): Promise<CommittedAnswer> {
  const answer: CommittedAnswer = {
    text: "",
    finishReason: undefined,
    usage: undefined,
    broken: undefined,
    timeoutDetail: undefined,
  };
  const idleMs = plan.streamIdleTimeoutMs;
  const idleMessage = streamIdleTimeoutMessage(idleMs);
  let part: LanguageModelV4StreamPart | undefined = first;
  for (;;) {
    if (part) {
      if (part.type === "text-delta") {
        answer.text += part.delta;
        emit({ type: "text", text: part.delta });
      } else if (part.type === "reasoning-delta") {
        emit({ type: "reasoning", text: part.delta });
      } else if (part.type === "error") {
        answer.broken = part.error;
        return answer;
      } else if (part.type === "finish") {
        // Without the provider's finish event its final usage never came either: what the
        // package reports then is at most a running count, so the usage is estimated.
        if (!isProviderFinish(part)) {
          answer.broken = streamEndedEarly();
          return answer;
        }
        answer.usage = normalizeUsage(part.usage);
        answer.finishReason = part.finishReason.unified;
        return answer;
      }
    }
    watchdog.arm(idleMs, idleMessage);
    try {
      const { done, value } = await reader.read();
      if (done) {
        answer.timeoutDetail = watchdog.firedMessage;
        answer.broken =
          watchdog.firedMessage === undefined
            ? streamEndedEarly()
            : timeoutReason(watchdog.firedMessage);
        return answer;
      }
      part = value;
    } catch (error) {
      answer.timeoutDetail = watchdog.firedMessage;
      answer.broken = error;
      return answer;
    }
  }
}

interface CommittedAttempt {
  permit: RateLimitPermit;
  attempt: number;
  startedAt: number;
  timeoutMs: number;
}

/** What the committed attempt came to: a finished answer, or one broken off after content. */
function committedEnding(
  services: GatewayServices,
  plan: ModelPlan,
  context: CallContext,
  answer: CommittedAnswer,
  committed: CommittedAttempt,
): ModelEnding {
  const usageEstimated = answer.usage === undefined;
  const usage: TokenUsage =
    answer.usage ??
    (() => {
      const input = estimateTokens(promptTexts(context.prompt).join("\n"));
      const output = estimateTokens(answer.text);
      return {
        inputTokens: input,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: output,
        reasoningTokens: 0,
        totalTokens: input + output,
      };
    })();
  committed.permit.settle(usage.totalTokens);
  if (answer.broken === undefined) {
    return {
      type: "answered",
      text: answer.text,
      object: undefined,
      finishReason: answer.finishReason ?? "other",
      usage,
      attempts: committed.attempt,
    };
  }
  const error = classifyError(answer.broken, {
    alias: plan.alias,
    provider: plan.provider,
    model: plan.modelId,
    timedOut: answer.timeoutDetail !== undefined || context.deadlinePassed,
    timeoutMs: committed.timeoutMs,
    ...(answer.timeoutDetail === undefined ? {} : { timeoutDetail: answer.timeoutDetail }),
    secrets: services.registry.secretsFor(plan.alias),
    ...(context.callerSignal === undefined ? {} : { cancelSignal: context.callerSignal }),
  });
  plan.breaker.recordFailure(error.kind);
  context.attempts.push({
    model: plan.alias,
    provider: plan.provider,
    attempt: committed.attempt,
    error,
    startedAt: committed.startedAt,
    durationMs: services.now() - committed.startedAt,
  });
  plan.log.warn(
    { kind: error.kind, characters: answer.text.length },
    `stream broke off after content: ${error.message}`,
  );
  return {
    type: "incomplete",
    error,
    partialText: answer.text,
    usage,
    usageEstimated,
    attempts: committed.attempt,
  };
}
