import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
} from "@ai-sdk/provider";
import type {
  ModelErrorKind,
  SimulatedModelConfig,
} from "../../../config/model-settings-schema.js";
import { ModelError } from "../../errors/model-error.js";
import {
  type ModelErrorDescription,
  modelErrorDetail,
  modelErrorMessage,
} from "../../errors/model-error-message.js";
import { estimateTokens } from "../../usage/token-estimate.js";
import { jsonFromSchema } from "./json-from-schema.js";

export const SIMULATED_PROVIDER = "simulated";

/**
 * mulberry32: a tiny, fast, seedable generator. Good enough for simulated latency and failure
 * draws; not for anything that needs real randomness.
 */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function promptText(prompt: LanguageModelV4Prompt): { all: string; lastUser: string } {
  const parts: string[] = [];
  let lastUser = "";
  for (const message of prompt) {
    if (message.role === "system") {
      parts.push(message.content);
      continue;
    }
    for (const part of message.content) {
      if (part.type === "text") {
        parts.push(part.text);
        if (message.role === "user") lastUser = part.text;
      }
    }
  }
  return { all: parts.join("\n"), lastUser };
}

function abortable(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

interface PlannedAnswer {
  text: string;
  usage: LanguageModelV4Usage;
  finish: "stop" | "length";
  latencyMs: number;
}

/**
 * A model that answers locally, with seeded latency and failures, for demos, tests and load
 * runs. It implements the AI SDK's LanguageModelV4 so it travels the same gateway path as a
 * hosted model: limits, breaker, retries, ledger. Everything it produces is labelled simulated.
 */
export class SimulatedLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = "v4";
  readonly provider = SIMULATED_PROVIDER;
  readonly modelId: string;
  readonly supportedUrls = {};
  private readonly alias: string;
  private readonly settings: SimulatedModelConfig;
  private readonly random: () => number;
  private answered = 0;

  constructor(alias: string, settings: SimulatedModelConfig) {
    this.alias = alias;
    this.settings = settings;
    this.modelId = settings.model;
    this.random = seededRandom(settings.seed);
  }

  private drawLatency(): number {
    const latency = this.settings.latencyMs;
    if (typeof latency === "number") return latency;
    const [low, high] = latency;
    return Math.round(low + this.random() * Math.max(0, high - low));
  }

  private drawFailure(): ModelErrorKind | undefined {
    const draw = this.random();
    let cumulative = 0;
    for (const [kind, probability] of Object.entries(this.settings.failures)) {
      cumulative += probability ?? 0;
      if (draw < cumulative) return kind as ModelErrorKind;
    }
    return undefined;
  }

  private plan(options: LanguageModelV4CallOptions): PlannedAnswer {
    const latencyMs = this.drawLatency();
    const failure = this.drawFailure();
    if (failure) {
      const description: ModelErrorDescription = {
        alias: this.alias,
        provider: SIMULATED_PROVIDER,
        model: this.modelId,
        kind: failure,
        ...(failure === "rate_limit" ? { status: 429 } : {}),
        detail: `simulated failure (models.${this.alias}.failures)`,
      };
      throw new ModelError(modelErrorMessage(description), {
        detail: modelErrorDetail(description),
        kind: failure,
        model: this.alias,
        provider: SIMULATED_PROVIDER,
        status: description.status,
      });
    }
    const { all, lastUser } = promptText(options.prompt);
    let text: string;
    if (options.responseFormat?.type === "json") {
      text = JSON.stringify(jsonFromSchema(options.responseFormat.schema, this.random));
    } else if (this.settings.reply !== undefined) {
      text = this.settings.reply;
    } else {
      const excerpt = lastUser.length > 80 ? `${lastUser.slice(0, 77)}...` : lastUser;
      text = `Simulated answer from ${this.alias} to "${excerpt}": no provider was called. Configure a real model in orkestra.yaml for real answers.`;
    }
    let finish: PlannedAnswer["finish"] = "stop";
    const limit = options.maxOutputTokens;
    let outputTokens = estimateTokens(text);
    if (limit !== undefined && outputTokens > limit) {
      text = Buffer.from(text, "utf8")
        .subarray(0, limit * 4)
        .toString("utf8");
      finish = "length";
      outputTokens = estimateTokens(text);
    }
    const inputTokens = estimateTokens(all);
    return {
      text,
      finish,
      latencyMs,
      usage: {
        inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
      },
    };
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const answer = this.plan(options);
    await abortable(answer.latencyMs, options.abortSignal);
    return {
      content: [{ type: "text", text: answer.text }],
      finishReason: { unified: answer.finish, raw: answer.finish },
      usage: answer.usage,
      warnings: [],
      response: {
        // A counter, not a draw: draws made when a call finishes would shift the next call's
        // answer by completion order, and a seed would no longer give the same run twice.
        id: `sim-${this.settings.seed}-${++this.answered}`,
        modelId: this.modelId,
        timestamp: new Date(),
      },
    };
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const answer = this.plan(options);
    const words = answer.text.match(/\S+\s*/g) ?? [answer.text];
    const chunks: string[] = [];
    for (let index = 0; index < words.length; index += 4)
      chunks.push(words.slice(index, index + 4).join(""));
    // A third of the latency before the first token, the rest spread over the chunks.
    const firstTokenMs = Math.round(answer.latencyMs / 3);
    const perChunkMs = chunks.length > 0 ? (answer.latencyMs - firstTokenMs) / chunks.length : 0;
    const signal = options.abortSignal;
    const modelId = this.modelId;
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      async start(controller) {
        try {
          controller.enqueue({ type: "stream-start", warnings: [] });
          controller.enqueue({ type: "response-metadata", modelId, timestamp: new Date() });
          await abortable(firstTokenMs, signal);
          controller.enqueue({ type: "text-start", id: "0" });
          for (const chunk of chunks) {
            controller.enqueue({ type: "text-delta", id: "0", delta: chunk });
            await abortable(perChunkMs, signal);
          }
          controller.enqueue({ type: "text-end", id: "0" });
          controller.enqueue({
            type: "finish",
            usage: answer.usage,
            finishReason: { unified: answer.finish, raw: answer.finish },
          });
          controller.close();
        } catch (error) {
          controller.error(error);
        }
      },
    });
    return { stream };
  }
}
