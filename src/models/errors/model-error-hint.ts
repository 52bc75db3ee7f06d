import { DEFAULT_API_KEY_ENV, type ProviderName } from "../../config/model-settings-schema.js";
import type { ModelErrorKind } from "./model-error.js";

export { DEFAULT_API_KEY_ENV };

export interface HintSubject {
  alias: string;
  provider: ProviderName;
  model: string;
  /** The variable the key is read from (`models.<alias>.apiKeyEnv`). */
  apiKeyEnv?: string;
}

/** What the user can do about a failure of this kind, when there is something to do. */
export function modelErrorHint(kind: ModelErrorKind, subject: HintSubject): string | undefined {
  const keyVariable = subject.apiKeyEnv ?? DEFAULT_API_KEY_ENV[subject.provider];
  switch (kind) {
    case "auth":
      return keyVariable === undefined
        ? `Check the API key and the account's access to ${subject.model}.`
        : `Check the API key in ${keyVariable} and the account's access to ${subject.model}.`;
    case "quota_exhausted":
      return "Add credits or raise the spending limit in the provider's console; waiting will not help.";
    case "context_length":
      return "Shorten the input or lower maxTokens, or add a model with a larger context window to the fallback chain.";
    case "not_found":
      return `Check models.${subject.alias}.model in orkestra.yaml: the provider does not serve "${subject.model}".`;
    case "content_filter":
      return "The provider refused the content; rephrase the prompt or use another model.";
    case "rate_limit":
      return `Set models.${subject.alias}.limits to stay under the provider's rate limit.`;
    case "network":
      return "Check the network connection and the model's baseURL.";
    default:
      return undefined;
  }
}
