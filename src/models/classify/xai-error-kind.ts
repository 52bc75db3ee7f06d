import type { ErrorClassification } from "./error-classification.js";
import type { ProviderErrorFacts } from "./error-facts.js";
import { grpcStatusKind } from "./grpc-status-kind.js";

/**
 * xAI answers many errors as `{ code, error }` where `code` is the English description of a
 * gRPC status (400 `{"code":"Client specified an invalid argument","error":"Incorrect API key
 * provided: xa***"}`). These are the canonical descriptions of the gRPC status codes.
 */
const GRPC_STATUS_BY_DESCRIPTION: Readonly<Record<string, string>> = {
  "the operation was cancelled": "CANCELLED",
  "unknown error": "UNKNOWN",
  "client specified an invalid argument": "INVALID_ARGUMENT",
  "deadline expired before operation could complete": "DEADLINE_EXCEEDED",
  "some requested entity was not found": "NOT_FOUND",
  "some entity that we attempted to create already exists": "ALREADY_EXISTS",
  "the caller does not have permission to execute the specified operation": "PERMISSION_DENIED",
  "some resource has been exhausted": "RESOURCE_EXHAUSTED",
  "the system is not in a state required for the operation's execution": "FAILED_PRECONDITION",
  "the operation was aborted": "ABORTED",
  "operation was attempted past the valid range": "OUT_OF_RANGE",
  "operation is not implemented or not supported": "UNIMPLEMENTED",
  "internal error": "INTERNAL",
  "the service is currently unavailable": "UNAVAILABLE",
  "unrecoverable data loss or corruption": "DATA_LOSS",
  "the request does not have valid authentication credentials for the operation": "UNAUTHENTICATED",
};

/** xAI's gRPC-described codes; its OpenAI-shaped errors go through the OpenAI table first. */
export function xaiErrorKind(facts: ProviderErrorFacts): ErrorClassification | undefined {
  const code = facts.code?.trim().toLowerCase();
  const grpcStatus = code === undefined ? undefined : GRPC_STATUS_BY_DESCRIPTION[code];
  if (grpcStatus === undefined) return undefined;
  const classification = grpcStatusKind(grpcStatus, facts);
  // xAI reports a spent team balance as 403 PERMISSION_DENIED "... has either used all
  // available credits or reached its monthly spending limit".
  if (classification?.kind === "auth" && /available credits|spending limit/i.test(facts.message)) {
    return { kind: "quota_exhausted", providerCode: grpcStatus };
  }
  return classification;
}
