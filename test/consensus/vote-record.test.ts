import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { findVote, listVotes, vote, voteBallotRows } from "../../src/consensus/index.js";
import { modelDb } from "../../src/models/tables/model-tables.js";
import { type FakeProviderServer, startFakeProviderServer } from "../../src/testing/index.js";
import { describeEachStore } from "../helpers/stores.js";
import { choice, scriptedCommittee } from "../support/scripted-committee.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const price = { input: 1, output: 2 };
const priced = (alias: string) => ({
  provider: "openai" as const,
  model: alias,
  price,
  maxTokens: 100,
});
const usage = { inputTokens: 1_000, outputTokens: 100 };
const reply = (body: Record<string, unknown>) => ({
  kind: "reply" as const,
  text: JSON.stringify(body),
  usage,
});

describeEachStore("votes on record", (fixture) => {
  it("stores the vote, every ballot of every round, its ledger ids and the decision's audit event", async () => {
    const { gateway } = scriptedCommittee(
      server,
      {
        alpha: [reply(choice("A")), reply(choice("A"))],
        bravo: [reply(choice("B")), reply(choice("A", "Convinced."))],
      },
      { store: fixture.store, models: { alpha: priced("alpha"), bravo: priced("bravo") } },
    );

    const result = await vote(gateway, fixture.store, {
      question: "A or B?",
      options: ["A", "B"],
      members: ["alpha", "bravo"],
    });

    expect(result.winner).toBe("A");
    expect(await findVote(fixture.store, result.voteId)).toEqual(
      JSON.parse(JSON.stringify(result)),
    );
    const rows = await voteBallotRows(fixture.store, result.voteId);
    expect(rows.map((row) => [row.round, row.member, row.model, row.valid])).toEqual([
      [1, "Member 1", "alpha", 1],
      [1, "Member 2", "bravo", 1],
      [2, "Member 1", "alpha", 1],
      [2, "Member 2", "bravo", 1],
    ]);
    const calls = await modelDb(fixture.store)
      .selectFrom("model_calls")
      .select(["id", "cost_usd"])
      .where("task_id", "=", `vote:${result.voteId}`)
      .execute();
    expect(new Set(result.callIds)).toEqual(new Set(calls.map((call) => call.id)));
    expect(result.callIds).toHaveLength(4);
    // 4 calls of 1000 input and 100 output tokens at $1/$2 per million: 4 × $0.0012.
    expect(result.costUsd).toBeCloseTo(0.0048, 9);
    expect(result.usage).toEqual({ inputTokens: 4_000, outputTokens: 400 });
    const [listed] = await listVotes(fixture.store);
    expect(listed).toMatchObject({ id: result.voteId, status: "decided", winner: "A" });
    const events = await fixture.store.audit.query({ action: "vote:decided" });
    expect(events).toEqual([
      expect.objectContaining({
        resource: `vote:${result.voteId}`,
        outcome: "decided",
        actor: "committee",
      }),
    ]);
  });

  it("records a member refused by a budget as an abstention with that reason", async () => {
    const { gateway } = scriptedCommittee(
      server,
      { alpha: [reply(choice("A"))], bravo: [reply(choice("A"))], charlie: [reply(choice("B"))] },
      {
        store: fixture.store,
        models: { alpha: priced("alpha"), bravo: priced("bravo"), charlie: priced("charlie") },
        budget: { per_model: { charlie: { daily_usd: 0.000_001 } } },
      },
    );

    const result = await vote(gateway, fixture.store, {
      question: "A or B?",
      options: ["A", "B"],
      members: ["alpha", "bravo", "charlie"],
    });

    expect(result.winner).toBe("A");
    expect(result.abstentions).toEqual([
      {
        member: "Member 3",
        model: "charlie",
        round: 1,
        reason: expect.stringMatching(/^refused by a budget: /),
      },
    ]);
    expect(server.requests.filter((request) => request.model === "charlie")).toHaveLength(0);
    const rows = await voteBallotRows(fixture.store, result.voteId);
    expect(rows.find((row) => row.member === "Member 3")).toMatchObject({
      valid: 0,
      reason: expect.stringMatching(/budget/),
    });
  });

  it("holds no round whose worst case would pass --budget-usd, and says so", async () => {
    const { gateway } = scriptedCommittee(
      server,
      {
        alpha: [reply(choice("A")), reply(choice("A"))],
        bravo: [reply(choice("B")), reply(choice("A"))],
      },
      { store: fixture.store, models: { alpha: priced("alpha"), bravo: priced("bravo") } },
    );
    const request = { question: "A or B?", options: ["A", "B"], members: ["alpha", "bravo"] };

    const none = await vote(gateway, fixture.store, { ...request, budgetUsd: 0.000_001 });
    expect(none).toMatchObject({ status: "no_consensus", rounds: [], costUsd: 0 });
    expect(none.budgetStop).toContain("budget of $0.000001");
    expect(server.requests).toHaveLength(0);
    const firstRoundWorstCase = Number(
      /may cost up to \$([0-9.]+)/.exec(none.budgetStop ?? "")?.[1],
    );
    expect(firstRoundWorstCase).toBeGreaterThan(0);

    // Room for the first round's worst case, not for the deliberation round after it (which
    // comes on top of the $0.0024 the first round spent).
    const cap = firstRoundWorstCase + 0.000_1;
    const one = await vote(gateway, fixture.store, { ...request, budgetUsd: cap });
    expect(one.rounds).toHaveLength(1);
    expect(one.status).toBe("no_consensus");
    expect(one.budgetStop).toMatch(/\$0\.002400 spent/);
    expect(one.costUsd).toBeLessThanOrEqual(cap);
    expect(server.requests).toHaveLength(2);
  });
});
