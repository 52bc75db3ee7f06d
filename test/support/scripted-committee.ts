import type { Behaviour, FakeProviderServer, RecordedRequest } from "../../src/testing/index.js";
import { createTestGateway, type TestGateway, type TestModelInput } from "./test-gateway.js";

/** One scripted answer: JSON text, an object (sent as JSON), or a behaviour (an error, …). */
export type ScriptedAnswer = string | Record<string, unknown> | Behaviour;

/** The messages of a request (not its `model` field), for assertions on what a member was shown. */
export function promptText(request: RecordedRequest | undefined): string {
  const body = request?.body as { input?: unknown; messages?: unknown } | undefined;
  return JSON.stringify(body?.input ?? body?.messages ?? "");
}

function isBehaviour(answer: ScriptedAnswer): answer is Behaviour {
  return typeof answer === "function" || (typeof answer === "object" && "kind" in answer);
}

/**
 * Scripts the fake server: a request for model id `alias` takes the next answer of its own
 * script, whatever order concurrent requests arrive in. An exhausted script answers with a
 * 500, so a test never hangs on a missing answer.
 */
export function scriptAnswers(
  server: FakeProviderServer,
  scripts: Readonly<Record<string, readonly ScriptedAnswer[]>>,
  latencyMs = 0,
): void {
  const queues = new Map(Object.entries(scripts).map(([alias, answers]) => [alias, [...answers]]));
  server.setDefault((request: RecordedRequest): Behaviour => {
    const next = queues.get(request.model ?? "")?.shift();
    if (next === undefined) {
      return {
        kind: "error",
        status: 500,
        body: { error: { message: `no scripted answer left for ${request.model}` } },
      };
    }
    const behaviour: Behaviour = isBehaviour(next)
      ? next
      : { kind: "reply", text: typeof next === "string" ? next : JSON.stringify(next) };
    return latencyMs > 0 ? { kind: "delay", ms: latencyMs, behaviour } : behaviour;
  });
}

/** A committee on the fake provider: member `alias` is the OpenAI-shaped model `alias`. */
export function scriptedCommittee(
  server: FakeProviderServer,
  scripts: Readonly<Record<string, readonly ScriptedAnswer[]>>,
  options: {
    models?: Readonly<Record<string, TestModelInput>>;
    latencyMs?: number;
    fallbacks?: Record<string, string[]>;
  } & Omit<Parameters<typeof createTestGateway>[0], "server" | "models" | "fallbacks"> = {},
): TestGateway & { requestsOf: (alias: string) => RecordedRequest[] } {
  scriptAnswers(server, scripts, options.latencyMs);
  const models: Record<string, TestModelInput> = { ...options.models };
  for (const alias of Object.keys(scripts)) {
    models[alias] ??= { provider: "openai", model: alias };
  }
  const { models: _models, latencyMs: _latency, ...rest } = options;
  const built = createTestGateway({
    ...rest,
    server,
    models,
    gateway: { retries: 0, ...rest.gateway },
  });
  return {
    ...built,
    requestsOf: (alias) => server.requests.filter((request) => request.model === alias),
  };
}

/** A choice ballot as a member would send it. */
export function choice(option: string, rationale = `I prefer ${option}.`, confidence = 0.8) {
  return { choice: option, confidence, rationale };
}
