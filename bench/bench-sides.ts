import { generateText } from "ai";
import { configSchema, createGateway, openStore, type Store } from "../src/index.js";
import { type FakeProviderBaseURLs, fakeModel } from "../src/testing/index.js";
import type { BenchSide } from "./bench-side.js";
import { createBudgetTransactionsSide } from "./budget-transactions-side.js";

/** Where a side points: the run's fake provider and its databases. */
export interface SideTarget {
  baseURL: FakeProviderBaseURLs;
  /** SQLite store URL, shared by every SQLite side of a run: the same store for each. */
  sqliteUrl: string;
  /** PostgreSQL server and the run's schema, shared by every PostgreSQL side of a run. */
  postgres?: { url: string; schema: string };
}

/** What each side is, in the words the tables use. */
export const SIDE_LABELS = {
  fetch: "fetch: one POST + response.json(), no library",
  "generate-text": "generateText() of the AI SDK, as an SDK user calls it",
  "do-generate":
    "bare provider model doGenerate() (what the gateway wraps: gateway − this = our share)",
  gateway: "gateway, no store",
  "gateway+ledger": "gateway + SQLite ledger",
  "gateway+ledger+budget": "gateway + SQLite ledger + budget",
  "pg:gateway+ledger": "gateway + PostgreSQL ledger",
  "pg:gateway+ledger+budget": "gateway + PostgreSQL ledger + budget",
  "pg:budget-transactions":
    "pg directly, no HTTP: reserve tx (conditional UPDATE + INSERT hold) + settle tx (DELETE hold + UPDATE), pgbench-style baseline",
} as const;
export type SideName = keyof typeof SIDE_LABELS;
export const SIDE_NAMES = Object.keys(SIDE_LABELS) as SideName[];

const MODEL_ID = "gpt-bench";
const PROMPT = "Say hello in five words.";
const MAX_TOKENS = 256;
const API_KEY = "bench-key";

interface ChatCompletion {
  choices?: { message?: { content?: string } }[];
}

function fetchSide(baseURL: FakeProviderBaseURLs): BenchSide {
  const url = `${baseURL.openai}/chat/completions`;
  const headers = { "content-type": "application/json", authorization: `Bearer ${API_KEY}` };
  return {
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

/** The same LanguageModelV4 the gateway builds for an `openai` model: `createOpenAI(…).chat(id)`. */
function providerModel(baseURL: FakeProviderBaseURLs) {
  return fakeModel({ baseURL }, "openai", MODEL_ID, { openaiApi: "chat", apiKey: API_KEY });
}

function doGenerateSide(baseURL: FakeProviderBaseURLs): BenchSide {
  const model = providerModel(baseURL);
  return {
    call: async () =>
      model.doGenerate({
        prompt: [{ role: "user", content: [{ type: "text", text: PROMPT }] }],
        maxOutputTokens: MAX_TOKENS,
      }),
    settle: async () => {},
    close: async () => {},
  };
}

function generateTextSide(baseURL: FakeProviderBaseURLs): BenchSide {
  const model = providerModel(baseURL);
  return {
    call: () => generateText({ model, prompt: PROMPT, maxOutputTokens: MAX_TOKENS }),
    settle: async () => {},
    close: async () => {},
  };
}

function gatewaySide(baseURL: FakeProviderBaseURLs, store: Store | undefined, budget: boolean) {
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
    ...(budget ? { budget: { daily_usd: 1_000_000 } } : {}),
  });
  const gateway = createGateway({
    config,
    env: { OPENAI_API_KEY: API_KEY },
    ...(store ? { store } : {}),
  });
  return {
    call: () => gateway.generate({ model: "bench", prompt: PROMPT }),
    settle: () => gateway.flush(),
    async close() {
      await gateway.close();
      await store?.close();
    },
  } satisfies BenchSide;
}

function postgresOf(target: SideTarget): { url: string; schema: string } {
  if (!target.postgres) throw new Error("a PostgreSQL side needs target.postgres");
  return target.postgres;
}

function postgresStoreUrl(target: SideTarget): string {
  const { url, schema } = postgresOf(target);
  const storeUrl = new URL(url);
  storeUrl.searchParams.set("schema", schema);
  return storeUrl.toString();
}

export async function createSide(name: SideName, target: SideTarget): Promise<BenchSide> {
  switch (name) {
    case "fetch":
      return fetchSide(target.baseURL);
    case "generate-text":
      return generateTextSide(target.baseURL);
    case "do-generate":
      return doGenerateSide(target.baseURL);
    case "gateway":
      return gatewaySide(target.baseURL, undefined, false);
    case "gateway+ledger":
    case "gateway+ledger+budget":
      return gatewaySide(
        target.baseURL,
        await openStore(target.sqliteUrl),
        name === "gateway+ledger+budget",
      );
    case "pg:gateway+ledger":
    case "pg:gateway+ledger+budget":
      return gatewaySide(
        target.baseURL,
        await openStore(postgresStoreUrl(target)),
        name === "pg:gateway+ledger+budget",
      );
    case "pg:budget-transactions":
      return createBudgetTransactionsSide(postgresOf(target));
  }
}

/** Side names from a comma list (BENCH_SIDES), or `fallback` when unset. */
export function sideNamesFrom(list: string | undefined, fallback: readonly SideName[]): SideName[] {
  if (list === undefined || list.trim() === "") return [...fallback];
  const names = list.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!(SIDE_NAMES as readonly string[]).includes(name)) {
      throw new Error(`unknown side "${name}" in BENCH_SIDES; known: ${SIDE_NAMES.join(", ")}`);
    }
  }
  return names as SideName[];
}
