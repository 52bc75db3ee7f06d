import {
  MODEL_ERROR_KINDS,
  type ModelErrorKind,
  NO_FALLBACK_KINDS,
} from "../../config/model-settings-schema.js";
import { errorMarker, hasErrorMarker, OrkestraError } from "../../errors/index.js";

export { MODEL_ERROR_KINDS, type ModelErrorKind, NO_FALLBACK_KINDS };

/**
 * Whether the same model is worth another attempt. Retryability is data: the classifier may
 * override it for a particular response, but these are the defaults.
 */
export const RETRYABLE_BY_KIND: Readonly<Record<ModelErrorKind, boolean>> = {
  auth: false,
  rate_limit: true,
  timeout: true,
  invalid_request: false,
  not_found: false,
  overloaded: true,
  server: true,
  network: true,
  parse: true,
  context_length: false,
  content_filter: false,
  quota_exhausted: false,
  budget_exceeded: false,
  cancelled: false,
};

export interface ModelErrorOptions {
  kind: ModelErrorKind;
  /** Model alias from the configuration (`claude`), or the model id when there is no alias. */
  model: string;
  provider: string;
  retryable?: boolean;
  /** HTTP status of the provider's response, when there was one. */
  status?: number;
  /** Delay the provider asked for (Retry-After / retry-after-ms), in milliseconds. */
  retryAfterMs?: number;
  /** The provider's own error code or type (`overloaded_error`, `insufficient_quota`). */
  providerCode?: string;
  /** What the user can do about it (`Set ANTHROPIC_API_KEY ...`). */
  hint?: string;
  /**
   * The message without its opening model label (`server (500): Internal Server Error`), for
   * displays that name the model themselves. @defaultValue the message
   */
  detail?: string;
  cause?: unknown;
}

const marker = errorMarker("ModelError");

/** The one error a model call ends in. */
export class ModelError extends OrkestraError {
  readonly [marker] = true;
  readonly kind: ModelErrorKind;
  readonly model: string;
  readonly provider: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly providerCode: string | undefined;
  /** What went wrong, without the model's label; see `ModelErrorOptions.detail`. */
  readonly detail: string;

  constructor(message: string, options: ModelErrorOptions) {
    super(message, {
      code: `model.${options.kind}`,
      hint: options.hint,
      retryable: options.retryable ?? RETRYABLE_BY_KIND[options.kind],
      cause: options.cause,
    });
    this.name = "ModelError";
    this.kind = options.kind;
    this.model = options.model;
    this.provider = options.provider;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.providerCode = options.providerCode;
    this.detail = options.detail ?? message;
  }

  static override isInstance(error: unknown): error is ModelError {
    return hasErrorMarker(error, marker);
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      kind: this.kind,
      status: this.status ?? null,
      model: this.model,
      provider: this.provider,
      retryAfterMs: this.retryAfterMs ?? null,
      providerCode: this.providerCode ?? null,
    };
  }
}
