/**
 * Committee: a 9-member vote on the fake provider, members answering after 120–200 ms (the
 * slowest, 200 ms, is the ideal wall time of a round). The figure is the vote's wall time over
 * rounds × the slowest member's latency: 1.0 means the members really are asked at once and
 * the committee adds nothing; the target is ≤ 1.1 per round. Two votes: one decided in its
 * first round, one that ties 4–4–1 and is decided by a deliberation round; each without a
 * store and with a SQLite store (ledger rows, the vote's record, the audit event).
 *
 * BENCH_RUNS (3) independent runs of COMMITTEE_VOTES (4) votes each, after 2 warm-up votes.
 *
 *   node --expose-gc --import tsx bench/committee.ts
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { configSchema } from "../src/config/index.js";
import { vote } from "../src/consensus/index.js";
import {
  CircuitBreakerRegistry,
  createGateway,
  type Gateway,
  RateLimiterRegistry,
} from "../src/models/index.js";
import type { Store } from "../src/store/index.js";
import { openOrkestraStore } from "../src/store-schema.js";
import {
  type Behaviour,
  type RecordedRequest,
  startFakeProviderServer,
} from "../src/testing/index.js";
import { envNumber } from "./env-number.js";
import { formatRatio, formatTable } from "./format-table.js";
import { benchHeader } from "./harness/bench-header.js";
import { spreadOf } from "./harness/spread.js";
import { verdict } from "./harness/verdict.js";
import { median } from "./stats.js";

const TARGET_PER_ROUND = 1.1;
const MEMBERS = 9;
const SLOWEST_MS = 200;
const runs = envNumber("BENCH_RUNS", 3);
const votesPerRun = envNumber("COMMITTEE_VOTES", 4);

const aliases = Array.from({ length: MEMBERS }, (_, index) => `member${index + 1}`);
const latencyOf = (alias: string): number => 120 + 10 * (Number(alias.replace("member", "")) - 1);

/** Round 1 of the deadlocked vote: 4 × A, 4 × B, 1 × C (a tie); in deliberation all say A. */
function answer(request: RecordedRequest, deadlock: boolean): string {
  const index = Number((request.model ?? "member1").replace("member", ""));
  const deliberating = JSON.stringify(request.body).includes("deliberation round");
  const option =
    !deadlock || deliberating
      ? index <= 5
        ? "A"
        : "B"
      : index <= 4
        ? "A"
        : index <= 8
          ? "B"
          : "C";
  return JSON.stringify({
    choice: option,
    confidence: 0.7,
    rationale: `Option ${option} is best.`,
  });
}

const server = await startFakeProviderServer();
let deadlock = false;
server.setDefault(
  (request): Behaviour => ({
    kind: "delay",
    ms: latencyOf(request.model ?? "member1"),
    behaviour: { kind: "reply", text: answer(request, deadlock) },
  }),
);
const config = configSchema.parse({
  models: Object.fromEntries(
    aliases.map((alias) => [
      alias,
      { provider: "openai", model: alias, baseURL: server.baseURL.openai, retries: 0 },
    ]),
  ),
});
const directory = await mkdtemp(join(tmpdir(), "orkestra-bench-committee-"));

function committeeGateway(store: Store | undefined): Gateway {
  return createGateway({
    config,
    env: { OPENAI_API_KEY: "bench" },
    breakers: new CircuitBreakerRegistry(),
    limiters: new RateLimiterRegistry(),
    ...(store ? { store } : {}),
  });
}

async function timeVotes(
  gateway: Gateway,
  store: Store | undefined,
  deadlocked: boolean,
  count: number,
): Promise<number[]> {
  deadlock = deadlocked;
  const ratios: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const startedAt = performance.now();
    const result = await vote(gateway, store, {
      question: "Which option?",
      options: ["A", "B", "C"],
      members: aliases,
      seed: index,
    });
    const wallMs = performance.now() - startedAt;
    const expectedRounds = deadlocked ? 2 : 1;
    if (result.status !== "decided" || result.rounds.length !== expectedRounds) {
      throw new Error(
        `the benchmark's vote went wrong: ${result.status} after ${result.rounds.length} rounds`,
      );
    }
    ratios.push(wallMs / (expectedRounds * SLOWEST_MS));
  }
  return ratios;
}

/** The baseline: the same 9 structured calls through the gateway's fanOut, no committee. */
async function timeFanOut(gateway: Gateway, count: number): Promise<number[]> {
  deadlock = false;
  const schema = z.object({
    choice: z.enum(["A", "B", "C"]),
    confidence: z.number(),
    rationale: z.string(),
  });
  const ratios: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const startedAt = performance.now();
    const outcome = await gateway.fanOut(aliases, { prompt: "Which option?", schema });
    if (outcome.results.length !== MEMBERS) throw new Error("the baseline fan-out lost a call");
    ratios.push((performance.now() - startedAt) / SLOWEST_MS);
  }
  return ratios;
}

console.log(
  benchHeader(
    `committee: ${MEMBERS} members, fake provider latency 120–${SLOWEST_MS} ms (the slowest is the ideal round time)`,
    "node --expose-gc --import tsx bench/committee.ts",
  ),
);
const store = await openOrkestraStore(`sqlite:${join(directory, "bench.db")}`);
// One gateway per variant, warmed up: its connections are pooled, as in a long-lived process.
const bare = committeeGateway(undefined);
const recorded = committeeGateway(store);
try {
  await timeVotes(bare, undefined, false, 2);
  await timeVotes(recorded, store, false, 2);
  const baseline: number[] = [];
  for (let run = 0; run < runs; run += 1)
    baseline.push(median(await timeFanOut(bare, votesPerRun)));
  const cases = [
    { name: "decided in round 1, no store", gateway: bare, store: undefined, deadlocked: false },
    { name: "decided in round 1, SQLite store", gateway: recorded, store, deadlocked: false },
    {
      name: "tie, deliberation decides, no store",
      gateway: bare,
      store: undefined,
      deadlocked: true,
    },
    { name: "tie, deliberation decides, SQLite store", gateway: recorded, store, deadlocked: true },
  ];
  const baselineSpread = spreadOf(baseline);
  const rows: string[][] = [
    [
      "baseline: gateway.fanOut, 9 structured calls",
      "1",
      formatRatio(baselineSpread.median),
      `${formatRatio(baselineSpread.min)} – ${formatRatio(baselineSpread.max)}`,
    ],
  ];
  const verdicts: string[] = [];
  for (const entry of cases) {
    const perRun: number[] = [];
    for (let run = 0; run < runs; run += 1)
      perRun.push(
        median(await timeVotes(entry.gateway, entry.store, entry.deadlocked, votesPerRun)),
      );
    const spread = spreadOf(perRun);
    rows.push([
      entry.name,
      entry.deadlocked ? "2" : "1",
      formatRatio(spread.median),
      `${formatRatio(spread.min)} – ${formatRatio(spread.max)}`,
    ]);
    verdicts.push(`${entry.name}: ${verdict(spread, (value) => value <= TARGET_PER_ROUND)}`);
  }
  console.log("");
  console.log(formatTable(["vote", "rounds", "wall / (rounds × slowest)", "runs min – max"], rows));
  console.log("");
  console.log(`target ≤ ${TARGET_PER_ROUND} per round`);
  for (const line of verdicts) console.log(line);
} finally {
  await bare.close();
  await recorded.close();
  await store.close();
  await server.close();
  await rm(directory, { recursive: true, force: true });
}
