import { errorMarker, hasErrorMarker } from "../../errors/index.js";
import { ModelError } from "../errors/model-error.js";
import type { TokenUsage } from "../usage/token-usage.js";

const marker = errorMarker("IncompleteStreamError");

export interface IncompleteStreamErrorOptions {
  /** The failure that broke the stream off; kind, model, provider and status are its own. */
  cause: ModelError;
  /** Everything that arrived before it broke off. */
  partialText: string;
  /** What the provider reported, or an estimate when it never did (`usageEstimated`). */
  usage: TokenUsage;
  usageEstimated: boolean;
  costUsd: number;
}

/** The error of a stream that broke off after content had arrived; keeps what did arrive. */
export class IncompleteStreamError extends ModelError {
  readonly [marker] = true;
  readonly partialText: string;
  readonly usage: TokenUsage;
  readonly usageEstimated: boolean;
  readonly costUsd: number;

  constructor(message: string, options: IncompleteStreamErrorOptions) {
    const { cause } = options;
    super(message, {
      kind: cause.kind,
      model: cause.model,
      provider: cause.provider,
      retryable: cause.retryable,
      ...(cause.status === undefined ? {} : { status: cause.status }),
      ...(cause.providerCode === undefined ? {} : { providerCode: cause.providerCode }),
      ...(cause.hint === undefined ? {} : { hint: cause.hint }),
      cause,
    });
    this.name = "IncompleteStreamError";
    this.partialText = options.partialText;
    this.usage = options.usage;
    this.usageEstimated = options.usageEstimated;
    this.costUsd = options.costUsd;
  }

  static override isInstance(error: unknown): error is IncompleteStreamError {
    return hasErrorMarker(error, marker);
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      incomplete: true,
      partialText: this.partialText,
      usage: this.usage,
      usageEstimated: this.usageEstimated,
      costUsd: this.costUsd,
    };
  }
}
