import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { modelDb } from "../../../src/models/index.js";
import {
  AgentError,
  type AgentsConfig,
  type AgentTask,
  agentPrompt,
  createAgentTaskHandler,
} from "../../../src/queue/agents/index.js";
import {
  errors,
  type FakeProviderServer,
  startFakeProviderServer,
} from "../../../src/testing/index.js";
import { describeEachStore } from "../../helpers/stores.js";
import { callFailure } from "../../support/call-failure.js";
import { createTestGateway } from "../../support/test-gateway.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const models = {
  claude: {
    provider: "anthropic",
    model: "claude-sonnet-4-5",
    price: { input: 3, output: 15 },
  },
  gpt: { provider: "openai", model: "gpt-5", price: { input: 1, output: 2 } },
} as const;

const AGENTS: AgentsConfig = {
  architect: {
    model: "claude",
    role: "plans and reviews designs",
    capabilities: ["design"],
    specialties: [],
    weight: 1,
    maxConcurrent: 1,
  },
  coder: { model: "smart", capabilities: ["code"], specialties: [], weight: 1, maxConcurrent: 1 },
};

function task(settings: Partial<AgentTask> = {}): AgentTask {
  return {
    id: "task-1",
    title: "Review the design",
    instructions: "Review the attached design and list its risks.",
    payload: { design: "one queue per tenant" },
    agent: "architect",
    ...settings,
  };
}

const signal = () => new AbortController().signal;

describeEachStore("the agent task handler", (fixture) => {
  it("sends the role and the instructions with the payload, and ties the ledger row to the task", async () => {
    const { gateway } = createTestGateway({ server, models, store: fixture.store });
    server.enqueueFor("anthropic", {
      kind: "reply",
      text: "Risk: noisy neighbours.",
      usage: { inputTokens: 1_000, outputTokens: 200 },
    });
    const handle = createAgentTaskHandler({ gateway, agents: AGENTS });

    const result = await handle(task(), { signal: signal() });
    await gateway.flush();

    expect(result).toEqual({
      text: "Risk: noisy neighbours.",
      model: "claude",
      usage: expect.objectContaining({ inputTokens: 1_000, outputTokens: 200 }),
      costUsd: 0.006,
    });
    const [request] = server.requestsFor("anthropic");
    expect(request?.body).toMatchObject({
      system: [expect.objectContaining({ text: "plans and reviews designs" })],
      messages: [
        {
          role: "user",
          content: [
            expect.objectContaining({
              text:
                "Review the attached design and list its risks.\n\nPayload (JSON):\n```json\n" +
                '{\n  "design": "one queue per tenant"\n}\n```',
            }),
          ],
        },
      ],
    });
    const rows = await modelDb(fixture.store).selectFrom("model_calls").selectAll().execute();
    expect(rows).toEqual([
      expect.objectContaining({ alias: "claude", outcome: "success", task_id: "task-1" }),
    ]);
  });

  it("goes through the agent's fallback chain, each ledger row carrying the task id", async () => {
    const { gateway } = createTestGateway({
      server,
      models,
      fallbacks: { smart: ["gpt", "claude"] },
      store: fixture.store,
    });
    server.enqueueFor("openai", errors.openai.invalidApiKey());
    server.enqueueFor("anthropic", { kind: "reply", text: "done" });
    const handle = createAgentTaskHandler({ gateway, agents: AGENTS });

    const result = await handle(task({ id: "task-2", agent: "coder", payload: null }), {
      signal: signal(),
    });
    await gateway.flush();

    expect(result).toMatchObject({ text: "done", model: "claude" });
    // No role: no system prompt. No payload: the instructions alone.
    const [request] = server.requestsFor("anthropic");
    expect(request?.body).not.toHaveProperty("system");
    expect(JSON.stringify(request?.body)).not.toContain("Payload");
    const rows = await modelDb(fixture.store)
      .selectFrom("model_calls")
      .select(["alias", "outcome", "task_id"])
      .orderBy("created_at")
      .execute();
    expect(rows).toEqual([
      { alias: "gpt", outcome: "error", task_id: "task-2" },
      { alias: "claude", outcome: "success", task_id: "task-2" },
    ]);
  });

  it("stops the model call when the task's signal aborts", async () => {
    const { gateway } = createTestGateway({ server, models, store: fixture.store });
    server.enqueueFor("anthropic", { kind: "hang" });
    const controller = new AbortController();
    const handle = createAgentTaskHandler({ gateway, agents: AGENTS });
    setTimeout(() => controller.abort(), 100);

    const failure = await callFailure(handle(task(), { signal: controller.signal }));
    await gateway.flush();

    expect(failure.kind).toBe("cancelled");
    const rows = await modelDb(fixture.store)
      .selectFrom("model_calls")
      .select(["error_kind", "task_id"])
      .execute();
    expect(rows).toEqual([{ error_kind: "cancelled", task_id: "task-1" }]);
  });
});

it("refuses a task with no agent or an unknown one, without calling a model", async () => {
  const { gateway } = createTestGateway({ server, models });
  const handle = createAgentTaskHandler({ gateway, agents: AGENTS });

  const unknown = await handle(task({ agent: "architcet" }), { signal: signal() }).catch(
    (error: unknown) => error,
  );
  expect(AgentError.isInstance(unknown)).toBe(true);
  expect(unknown).toMatchObject({
    code: "agent.unknown",
    agent: "architcet",
    message: 'task task-1 names unknown agent "architcet" (did you mean "architect"?)',
    hint: expect.stringContaining("Configured agents: architect, coder"),
    invalidInput: true,
  });

  const unassigned = await handle(task({ agent: null }), { signal: signal() }).catch(
    (error: unknown) => error,
  );
  expect(unassigned).toMatchObject({ code: "agent.unassigned" });
  expect(server.requests).toHaveLength(0);
});

it("fences a payload in more backticks than it contains, and falls back to the title", () => {
  const prompt = agentPrompt({
    title: "Summarise",
    instructions: "  ",
    payload: { snippet: "```ts\nx\n```" },
  });
  expect(prompt).toBe(
    'Summarise\n\nPayload (JSON):\n````json\n{\n  "snippet": "```ts\\nx\\n```"\n}\n````',
  );
  expect(agentPrompt({ title: "t", instructions: "Do it.", payload: undefined })).toBe("Do it.");
  expect(agentPrompt({ title: "t", instructions: "Do it.", payload: [] })).toContain("[]");
});
