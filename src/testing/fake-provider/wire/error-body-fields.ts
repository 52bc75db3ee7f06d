/** Message, type and code pulled out of any provider's error body. */
export interface ErrorBodyFields {
  message: string;
  type: string | undefined;
  code: string | undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}

function asText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/**
 * Reads OpenAI `{error:{message,type,code}}`, Anthropic `{type:"error",error:{type,message}}`,
 * Gemini `{error:{code,message,status}}` and xAI `{code,error}` bodies, so an error fixture of
 * one provider can be re-spelled as another API's in-band stream event.
 */
export function errorBodyFields(body: unknown, status: number): ErrorBodyFields {
  const record = asRecord(body);
  const nested = asRecord(record?.error);
  if (nested !== undefined) {
    return {
      message: asText(nested.message) ?? `HTTP ${status}`,
      type: asText(nested.type) ?? asText(nested.status),
      code: asText(nested.code),
    };
  }
  if (typeof record?.error === "string") {
    return { message: record.error, type: undefined, code: asText(record.code) };
  }
  if (typeof body === "string") return { message: body, type: undefined, code: undefined };
  return { message: asText(record?.message) ?? `HTTP ${status}`, type: undefined, code: undefined };
}
