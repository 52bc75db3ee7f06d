import type { ProviderName } from "../../config/model-settings-schema.js";
import { anthropicErrorKind } from "./anthropic-error-kind.js";
import type { ErrorClassification, ErrorTable } from "./error-classification.js";
import type { ProviderErrorFacts } from "./error-facts.js";
import { googleErrorKind } from "./google-error-kind.js";
import { messageErrorKind } from "./message-error-kind.js";
import { openaiErrorKind } from "./openai-error-kind.js";
import { statusErrorKind } from "./status-error-kind.js";
import { xaiErrorKind } from "./xai-error-kind.js";

/**
 * Which tables read which provider's codes. Only the provider's own family: the same word
 * means different things across providers (`api_error` is Anthropic's 500 and Ollama's missing
 * model). OpenAI-compatible endpoints also front Gemini (`error.status` names), so they get
 * the Google table after the OpenAI one.
 */
const TABLES_BY_PROVIDER: Readonly<
  Record<ProviderName, readonly ErrorTable<ProviderErrorFacts>[]>
> = {
  anthropic: [anthropicErrorKind],
  openai: [openaiErrorKind],
  xai: [openaiErrorKind, xaiErrorKind],
  "openai-compatible": [openaiErrorKind, googleErrorKind],
  google: [googleErrorKind],
  simulated: [],
};

/**
 * A provider's error answer to a kind: the provider's own code first, then its message, then
 * the HTTP status. Always decides: an unknown 4xx is invalid_request, anything else a server
 * error.
 */
export function providerResponseKind(
  facts: ProviderErrorFacts,
  provider: ProviderName,
): ErrorClassification {
  for (const table of TABLES_BY_PROVIDER[provider]) {
    const classification = table(facts);
    if (classification !== undefined) return classification;
  }
  const providerCode = facts.code ?? facts.grpcStatus ?? facts.type;
  const classification = messageErrorKind(facts) ??
    statusErrorKind(facts.status) ?? { kind: "server" };
  return providerCode === undefined ? classification : { ...classification, providerCode };
}
