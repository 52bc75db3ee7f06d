import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type Behaviour,
  type FakeProviderServer,
  type RecordedRequest,
  startFakeProviderServer,
} from "../../src/testing/index.js";
import { callFailure } from "../support/call-failure.js";
import { createTestGateway } from "../support/test-gateway.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const models = {
  gpt: { provider: "openai", model: "gpt-5" },
  claude: { provider: "anthropic", model: "claude-sonnet-4-5" },
} as const;

const colourSchema = z.object({ colour: z.string(), shades: z.number().int() });

const reply = (text: string): Behaviour => ({ kind: "reply", text });

function lastUserText(request: RecordedRequest | undefined): string {
  const body = request?.body as { messages?: { role: string; content: unknown }[] };
  const last = body.messages?.at(-1);
  return last?.role === "user" ? JSON.stringify(last.content) : "";
}

describe("structured output", () => {
  it("returns the validated object and asks for the JSON schema", async () => {
    const { gateway } = createTestGateway({ server, models });
    server.enqueueFor("openai", reply('{"colour":"teal","shades":3}'));

    const result = await gateway.generate({
      model: "gpt",
      prompt: "A colour, as JSON.",
      schema: colourSchema,
    });

    expect(result.object).toEqual({ colour: "teal", shades: 3 });
    expect(result.attempts).toBe(1);
    expect(server.requests[0]?.body).toMatchObject({
      response_format: { type: "json_schema" },
    });
  });

  it("repairs an answer that is not JSON with exactly one request that quotes the problem", async () => {
    const { gateway } = createTestGateway({ server, models });
    server.enqueueFor(
      "openai",
      reply("Sure! The colour is teal."),
      reply('{"colour":"teal","shades":3}'),
    );

    const result = await gateway.generate({
      model: "gpt",
      prompt: "A colour, as JSON.",
      schema: colourSchema,
    });

    expect(result.object).toEqual({ colour: "teal", shades: 3 });
    expect(server.requests).toHaveLength(2);
    const repair = server.requests[1]?.body as { messages: { role: string }[] };
    expect(repair.messages.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
    expect(lastUserText(server.requests[1])).toContain("the answer is not valid JSON");
  });

  it("repairs JSON that does not match the schema with the validation message", async () => {
    const { gateway } = createTestGateway({ server, models });
    server.enqueueFor(
      "openai",
      reply('{"colour":"teal","shades":"three"}'),
      reply('{"colour":"teal","shades":3}'),
    );

    const result = await gateway.generate({
      model: "gpt",
      prompt: "A colour, as JSON.",
      schema: colourSchema,
    });

    expect(result.object).toEqual({ colour: "teal", shades: 3 });
    expect(lastUserText(server.requests[1])).toContain("shades:");
  });

  it("fails with kind parse after a second bad answer and falls back to the next model", async () => {
    const { gateway } = createTestGateway({
      server,
      models,
      fallbacks: { smart: ["gpt", "claude"] },
    });
    server.enqueueFor("openai", reply("not json"), reply("still not json"));
    server.enqueueFor("anthropic", reply('{"colour":"red","shades":1}'));

    const result = await gateway.generate({
      model: "smart",
      prompt: "A colour, as JSON.",
      schema: colourSchema,
    });

    expect(result).toMatchObject({ model: "claude", object: { colour: "red", shades: 1 } });
    expect(result.fallbacks).toEqual([expect.objectContaining({ model: "gpt", kind: "parse" })]);
    expect(server.requestsFor("openai")).toHaveLength(2);
  });

  it("fails with kind parse when a lone model answers badly twice", async () => {
    const { gateway } = createTestGateway({ server, models });
    server.setDefault(reply("no"), "openai");

    const failure = await callFailure(
      gateway.generate({ model: "gpt", prompt: "A colour.", schema: colourSchema }),
    );

    expect(failure).toMatchObject({ kind: "parse", providerCode: "schema_mismatch" });
    expect(server.requests).toHaveLength(2);
  });
});

describe("content filter", () => {
  it("turns an empty answer stopped by the content filter into kind content_filter", async () => {
    const { gateway } = createTestGateway({
      server,
      models,
      fallbacks: { smart: ["gpt", "claude"] },
    });
    // A 200 answer whose only choice was filtered, as api.openai.com sends it.
    server.enqueueFor("openai", {
      kind: "error",
      status: 200,
      body: {
        id: "chatcmpl-filtered",
        object: "chat.completion",
        created: 1_790_000_000,
        model: "gpt-5",
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: null, refusal: null },
            finish_reason: "content_filter",
          },
        ],
        usage: { prompt_tokens: 12, completion_tokens: 0, total_tokens: 12 },
      },
    });

    const result = await gateway.generate({ model: "smart", prompt: "hi" });

    expect(result.model).toBe("claude");
    expect(result.fallbacks).toEqual([
      expect.objectContaining({ model: "gpt", kind: "content_filter", attempts: 1 }),
    ]);
    expect(server.requestsFor("openai")).toHaveLength(1);
  });
});
