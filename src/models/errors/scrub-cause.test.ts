import { inspect } from "node:util";
import { APICallError } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { createRedactor } from "../../observability/index.js";
import { scrubCause } from "./scrub-cause.js";

const SECRET = "proxy-secret-5c1e";
const redact = createRedactor([SECRET]).text;

function apiCallError(schema: object): APICallError {
  return new APICallError({
    message: `Forbidden: ${SECRET}`,
    url: `https://proxy.example/v1?tenant=${SECRET}`,
    requestBodyValues: { model: "gpt-5", response_format: { schema } },
    statusCode: 403,
    responseHeaders: { "x-echo": SECRET },
    responseBody: JSON.stringify({ error: { message: `you sent ${SECRET}` } }),
    cause: new Error(`socket said ${SECRET}`),
    data: { error: { message: `you sent ${SECRET}` } },
  });
}

describe("scrubCause", () => {
  it("cleans an SDK error in place: same object and class, no secret in any field", () => {
    const error = apiCallError({ type: "object" });
    const scrubbed = scrubCause(error, redact);
    expect(scrubbed).toBe(error);
    expect(APICallError.isInstance(scrubbed)).toBe(true);
    expect(error.statusCode).toBe(403);
    expect(error.responseBody).toBe(JSON.stringify({ error: { message: "you sent ***" } }));
    expect(error.message).toBe("Forbidden: ***");
    const shown = [JSON.stringify(error), inspect(error, { depth: null, showHidden: true })];
    expect(shown.join("\n")).not.toContain(SECRET);
  });

  it("copies the request body instead of changing objects the caller may send again", () => {
    const schema = { type: "object", description: `uses ${SECRET}` };
    const error = apiCallError(schema);
    scrubCause(error, redact);
    expect(schema.description).toBe(`uses ${SECRET}`);
    expect(JSON.stringify(error.requestBodyValues)).not.toContain(SECRET);
  });

  it("cleans strings and survives cycles", () => {
    expect(scrubCause(`thrown ${SECRET}`, redact)).toBe("thrown ***");
    const error = new Error(`loop ${SECRET}`) as Error & { self?: unknown };
    error.self = { back: error };
    scrubCause(error, redact);
    expect(error.message).toBe("loop ***");
  });
});
