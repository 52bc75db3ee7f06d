import {
  AISDKError,
  EmptyResponseBodyError,
  InvalidArgumentError,
  InvalidPromptError,
  InvalidResponseDataError,
  JSONParseError,
  LoadSettingError,
  NoSuchModelError,
  TypeValidationError,
  UnsupportedFunctionalityError,
} from "@ai-sdk/provider";
import type { ErrorClassification } from "./error-classification.js";
import { isRecord } from "./error-facts.js";

export interface SdkErrorClassification extends ErrorClassification {
  /** The AI SDK error that decided, for the message. */
  decidedBy: Error;
}

/**
 * AI SDK errors that are not HTTP answers. A response the SDK could not read (bad JSON, a
 * chunk that fails the schema, an empty body) is `parse` and retryable: a truncated or garbled
 * answer usually comes out whole the next time. Errors about our own request (a prompt the
 * provider cannot take, an unsupported option, an unknown model id) are not retryable.
 * Searches the `cause` chain, because the SDK wraps a parse failure of a successful response
 * in an `APICallError("Failed to process successful response")`.
 */
export function sdkErrorKind(error: unknown): SdkErrorClassification | undefined {
  const visited = new Set<unknown>();
  for (let current = error; isRecord(current) && !visited.has(current); current = current.cause) {
    visited.add(current);
    if (!AISDKError.isInstance(current)) continue;
    const classification = classifySdkError(current);
    if (classification !== undefined) return { ...classification, decidedBy: current };
  }
  return undefined;
}

function classifySdkError(error: AISDKError): ErrorClassification | undefined {
  if (
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    EmptyResponseBodyError.isInstance(error) ||
    InvalidResponseDataError.isInstance(error)
  ) {
    return { kind: "parse", providerCode: error.name };
  }
  if (NoSuchModelError.isInstance(error)) return { kind: "not_found", providerCode: error.name };
  if (
    InvalidPromptError.isInstance(error) ||
    InvalidArgumentError.isInstance(error) ||
    UnsupportedFunctionalityError.isInstance(error) ||
    LoadSettingError.isInstance(error)
  ) {
    return { kind: "invalid_request", providerCode: error.name };
  }
  return undefined;
}
