import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { vote } from "../../src/consensus/index.js";
import { type FakeProviderServer, startFakeProviderServer } from "../../src/testing/index.js";
import { choice, promptText, scriptedCommittee } from "../support/scripted-committee.js";

let server: FakeProviderServer;
beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const options = ["Red", "Orange", "Yellow", "Green", "Blue", "Indigo", "Violet"];
const members = ["alpha", "bravo", "charlie", "delta"];

/** The option lines of a member's prompt, in the order it was shown them. */
function shownOptions(text: string): string[] {
  return [...text.matchAll(/\\n- ([A-Za-z]+)/g)].map((match) => match[1] ?? "");
}

async function orders(seed: number) {
  server.reset();
  const { gateway, requestsOf } = scriptedCommittee(
    server,
    Object.fromEntries(members.map((alias) => [alias, [choice("Green")]])),
  );
  const result = await vote(gateway, undefined, {
    question: "Which colour?",
    options,
    members,
    seed,
  });
  return {
    recorded: result.ballots.map((ballot) => ballot.shownOrder),
    prompted: members.map((alias) => shownOptions(promptText(requestsOf(alias)[0]))),
  };
}

describe("bias controls", () => {
  it("shows each member its own seeded order of the options, the same again for the same seed", async () => {
    const first = await orders(42);
    const again = await orders(42);
    const other = await orders(43);

    expect(first.prompted).toEqual(first.recorded);
    for (const order of first.recorded) expect([...order].sort()).toEqual([...options].sort());
    expect(new Set(first.recorded.map((order) => order.join())).size).toBeGreaterThan(1);
    expect(again.recorded).toEqual(first.recorded);
    expect(other.recorded).not.toEqual(first.recorded);
  });

  it("never names a member's model in what the other members and the chair see", async () => {
    const { gateway, requestsOf } = scriptedCommittee(server, {
      alpha: [choice("Red", "Warm."), choice("Red", "Still warm.")],
      bravo: [choice("Blue", "Calm."), choice("Blue", "Still calm.")],
      chair: [{ compromise: "Purple", rationale: "Red and blue." }],
    });
    const result = await vote(gateway, undefined, {
      question: "Which colour?",
      options,
      members: ["alpha", "bravo"],
      chair: "chair",
      rounds: 1,
      seed: 1,
    }).catch((error: unknown) => error);

    expect(result).toBeDefined();
    const prompts = server.requests.map(promptText);
    expect(prompts.length).toBeGreaterThanOrEqual(5);
    for (const text of prompts) expect(text).not.toMatch(/alpha|bravo|chair"/);
    expect(promptText(requestsOf("alpha")[1])).toContain("Member 2: Blue");
  });
});
