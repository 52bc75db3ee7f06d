import { ModelError, type ModelErrorKind, type ModelErrorOptions } from "./model-error.js";
import { redactorFor } from "./scrub-cause.js";

/** Provider messages can be long (a JSON parse error quotes the whole text); keep the start. */
const MAX_DETAIL_CHARS = 300;

export interface ModelErrorDescription {
  alias: string;
  provider: string;
  model: string;
  kind: ModelErrorKind;
  status?: number;
  providerCode?: string;
  /** The provider's or the runtime's own words. */
  detail: string;
  /**
   * Exact values to remove from the detail, whatever their shape: API keys, header values,
   * values of `${VAR}` (those of 8 characters or more, see MIN_SECRET_LENGTH).
   */
  secrets?: readonly string[];
}

const NO_SECRETS: readonly string[] = [];

/**
 * How messages name a model: `claude (anthropic claude-sonnet-4-5)`; `sim (simulated)` when the
 * model id only repeats the provider.
 */
export function modelLabel(alias: string, provider: string, model: string): string {
  return model === provider ? `${alias} (${provider})` : `${alias} (${provider} ${model})`;
}

/** Which model an error is about, as messages name it. */
export interface ModelTarget {
  alias: string;
  provider: string;
  modelId: string;
}

/** A ModelError whose message is `label: detail`; the detail stays available as data. */
export function labelledModelError(
  target: ModelTarget,
  detail: string,
  options: Omit<ModelErrorOptions, "model" | "provider" | "detail">,
): ModelError {
  return new ModelError(`${modelLabel(target.alias, target.provider, target.modelId)}: ${detail}`, {
    ...options,
    model: target.alias,
    provider: target.provider,
    detail,
  });
}

/**
 * `claude (anthropic claude-sonnet-4-5): overloaded (529 overloaded_error): Overloaded`.
 * The detail is scrubbed of the known secrets and of anything shaped like a secret (OpenAI
 * echoes part of a wrong key; some servers echo all of it, or the request's headers, in no
 * known shape) and shortened.
 * Nothing from the request goes in.
 */
export function modelErrorMessage(description: ModelErrorDescription): string {
  const { alias, provider, model } = description;
  return `${modelLabel(alias, provider, model)}: ${modelErrorDetail(description)}`;
}

/** The message without the model's label: `overloaded (529 overloaded_error): Overloaded`. */
export function modelErrorDetail(description: ModelErrorDescription): string {
  const { kind, status, providerCode } = description;
  const facts = [status, providerCode].filter((part) => part !== undefined).join(" ");
  const detail = shorten(
    redactorFor(description.secrets ?? NO_SECRETS)
      .text(description.detail)
      .replace(/\s+/g, " ")
      .trim(),
  );
  return `${kind}${facts === "" ? "" : ` (${facts})`}: ${detail || "no details"}`;
}

function shorten(text: string): string {
  return text.length <= MAX_DETAIL_CHARS ? text : `${text.slice(0, MAX_DETAIL_CHARS - 1)}…`;
}
