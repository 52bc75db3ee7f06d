import type { ModelErrorKind } from "../errors/model-error.js";

/** What a provider table or rule decided about one failure. */
export interface ErrorClassification {
  kind: ModelErrorKind;
  /** Overrides `RETRYABLE_BY_KIND` for this one failure. */
  retryable?: boolean;
  /** The provider code, type or reason the decision was keyed on (`overloaded_error`). */
  providerCode?: string;
}

/** One provider's table: a classification when it recognises the failure, else undefined. */
export type ErrorTable<Facts> = (facts: Facts) => ErrorClassification | undefined;
