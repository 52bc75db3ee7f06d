import { join } from "node:path";
import { configSchema } from "../src/config/index.js";
import { createGateway, type Gateway } from "../src/models/index.js";
import { openStore, type Store } from "../src/store/index.js";
import { type FakeProviderBaseURLs, fakeModel } from "../src/testing/index.js";

/** One way of making the same model call, measured side by side with the others. */
export interface BenchSide {
  name: string;
  call: () => Promise<unknown>;
  /** Work the side owes after its calls returned (ledger rows still buffered). */
  settle: () => Promise<void>;
  close: () => Promise<void>;
}

export const SIDE_NAMES = [
  "fetch",
  "ai-sdk",
  "ai-sdk+signals",
  "gateway",
  "gateway+ledger",
  "gateway+ledger+budget",
] as const;
export type SideName = (typeof SIDE_NAMES)[number];

const MODEL_ID = "gpt-bench";
const PROMPT = "Say hello in five words.";
const MAX_TOKENS = 256;
const API_KEY = "bench-key";
/** The gateway's defaults: gateway.deadlineMs and gateway.attemptTimeoutMs. */
const DEADLINE_MS = 300_000;
const ATTEMPT_TIMEOUT_MS = 60_000;

interface ChatCompletion {
  choices?: { message?: { content?: string } }[];
}

/** What a user who skips every library writes: one POST, one JSON parse. */
function fetchSide(baseURL: FakeProviderBaseURLs): BenchSide {
  const url = `${baseURL.openai}/chat/completions`;
  const headers = { "content-type": "application/json", authorization: `Bearer ${API_KEY}` };
  return {
    name: "fetch",
    async call() {
      const body = JSON.stringify({
        model: MODEL_ID,
        messages: [{ role: "user", content: PROMPT }],
        max_tokens: MAX_TOKENS,
      });
      const response = await fetch(url, { method: "POST", headers, body });
      const answer = (await response.json()) as ChatCompletion;
      if (!response.ok) throw new Error(`fetch: HTTP ${response.status}`);
      return answer.choices?.[0]?.message?.content;
    },
    settle: async () => {},
    close: async () => {},
  };
}

/**
 * The LanguageModelV4 the gateway wraps, called bare: the provider package's own cost. With
 * `signals`, each call also gets the abort signals the gateway gives an attempt (a deadline
 * and an attempt timeout joined by AbortSignal.any), to price them on their own.
 */
function sdkSide(baseURL: FakeProviderBaseURLs, signals: boolean): BenchSide {
  const model = fakeModel({ baseURL }, "openai", MODEL_ID, { openaiApi: "chat", apiKey: API_KEY });
  return {
    name: signals ? "ai-sdk+signals" : "ai-sdk",
    call: async () =>
      model.doGenerate({
        prompt: [{ role: "user", content: [{ type: "text", text: PROMPT }] }],
        maxOutputTokens: MAX_TOKENS,
        ...(signals
          ? {
              abortSignal: AbortSignal.any([
                AbortSignal.timeout(DEADLINE_MS),
                AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
              ]),
            }
          : {}),
      }),
    settle: async () => {},
    close: async () => {},
  };
}

interface GatewaySideOptions {
  name: SideName;
  store: Store | undefined;
  budget: boolean;
}

function gatewaySide(baseURL: FakeProviderBaseURLs, options: GatewaySideOptions): BenchSide {
  const config = configSchema.parse({
    models: {
      bench: {
        provider: "openai",
        model: MODEL_ID,
        baseURL: baseURL.openai,
        maxTokens: MAX_TOKENS,
        price: { input: 0.15, output: 0.6 },
      },
    },
    // Far above what a run spends, so no call is refused: only the reservation is measured.
    ...(options.budget ? { budget: { daily_usd: 1_000_000 } } : {}),
  });
  const gateway: Gateway = createGateway({
    config,
    env: { OPENAI_API_KEY: API_KEY },
    ...(options.store ? { store: options.store } : {}),
  });
  return {
    name: options.name,
    call: () => gateway.generate({ model: "bench", prompt: PROMPT }),
    settle: () => gateway.flush(),
    async close() {
      await gateway.close();
      await options.store?.close();
    },
  };
}

/** The sides named in `names`, all pointed at the same server. SQLite files go in `directory`. */
export async function createSides(
  names: readonly SideName[],
  baseURL: FakeProviderBaseURLs,
  directory: string,
): Promise<BenchSide[]> {
  const sides: BenchSide[] = [];
  for (const name of names) {
    if (name === "fetch") sides.push(fetchSide(baseURL));
    else if (name === "ai-sdk" || name === "ai-sdk+signals")
      sides.push(sdkSide(baseURL, name === "ai-sdk+signals"));
    else if (name === "gateway")
      sides.push(gatewaySide(baseURL, { name, store: undefined, budget: false }));
    else {
      const budget = name === "gateway+ledger+budget";
      const store = await openStore(`sqlite:${join(directory, `${name}.db`)}`);
      sides.push(gatewaySide(baseURL, { name, store, budget }));
    }
  }
  return sides;
}

/** Side names from a comma list (BENCH_SIDES); all of them when unset. */
export function sideNamesFrom(list: string | undefined): SideName[] {
  if (list === undefined || list.trim() === "") return [...SIDE_NAMES];
  const names = list.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!(SIDE_NAMES as readonly string[]).includes(name)) {
      throw new Error(`unknown side "${name}" in BENCH_SIDES; known: ${SIDE_NAMES.join(", ")}`);
    }
  }
  return names as SideName[];
}
