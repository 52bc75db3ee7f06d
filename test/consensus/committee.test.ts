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

const question = "Which database should the service use?";
const options = ["PostgreSQL", "SQLite", "MySQL"];

describe("a committee vote", () => {
  it("asks every member, counts the ballots and keeps them in member order", async () => {
    const { gateway } = scriptedCommittee(server, {
      // The first member answers last: the result must not depend on arrival order.
      alpha: [
        {
          kind: "delay",
          ms: 80,
          behaviour: { kind: "reply", text: JSON.stringify(choice("SQLite")) },
        },
      ],
      bravo: [choice("PostgreSQL", "Concurrent writers.")],
      charlie: [choice("PostgreSQL", "It scales.", 0.9)],
    });

    const result = await vote(gateway, undefined, {
      question,
      options,
      members: ["alpha", "bravo", "charlie"],
      seed: 1,
    });

    expect(result).toMatchObject({
      success: true,
      status: "decided",
      winner: "PostgreSQL",
      method: "plurality",
    });
    expect(result.ballots.map((ballot) => [ballot.member, ballot.model, ballot.choice])).toEqual([
      ["Member 1", "alpha", "SQLite"],
      ["Member 2", "bravo", "PostgreSQL"],
      ["Member 3", "charlie", "PostgreSQL"],
    ]);
    expect(result.rounds).toHaveLength(1);
    expect(result.rounds[0]?.tallies).toEqual({ PostgreSQL: 2, SQLite: 1, MySQL: 0 });
    expect(result.abstentions).toEqual([]);
  });

  it("gives a ballot naming an unknown option one repair turn with the validation message", async () => {
    const { gateway, requestsOf } = scriptedCommittee(server, {
      alpha: [choice("Oracle"), choice("SQLite")],
      bravo: [choice("SQLite")],
    });

    const result = await vote(gateway, undefined, {
      question,
      options,
      members: ["alpha", "bravo"],
    });

    expect(result.winner).toBe("SQLite");
    expect(result.ballots[0]).toMatchObject({ valid: true, choice: "SQLite" });
    expect(requestsOf("alpha")).toHaveLength(2);
    expect(promptText(requestsOf("alpha")[1])).toContain("Your previous answer was rejected");
    expect(promptText(requestsOf("alpha")[1])).toMatch(/choice: Invalid option/);
  });

  it("counts a ballot that stays invalid after its repair turn as an abstention with the reason", async () => {
    const { gateway } = scriptedCommittee(server, {
      alpha: [choice("Oracle"), choice("Oracle again")],
      bravo: [choice("SQLite")],
      charlie: [choice("SQLite")],
    });

    const result = await vote(gateway, undefined, {
      question,
      options,
      members: ["alpha", "bravo", "charlie"],
    });

    expect(result.winner).toBe("SQLite");
    expect(result.ballots[0]).toMatchObject({ member: "Member 1", valid: false, confidence: null });
    expect(result.ballots[0]).not.toHaveProperty("choice");
    expect(result.abstentions).toEqual([
      {
        member: "Member 1",
        model: "alpha",
        round: 1,
        reason: expect.stringContaining("invalid ballot after its repair turn"),
      },
    ]);
    expect(result.rounds[0]).toMatchObject({ validBallots: 2, abstentions: 1 });
  });

  it("deliberates on a tie: members see anonymised rationales and one changes its vote", async () => {
    const { gateway, requestsOf } = scriptedCommittee(server, {
      alpha: [choice("SQLite", "One file, no server."), choice("SQLite", "Still one file.")],
      bravo: [
        choice("PostgreSQL", "Concurrent writers need it."),
        choice("SQLite", "Member 1 is right: the load is small."),
      ],
    });

    const result = await vote(gateway, undefined, {
      question,
      options,
      members: ["alpha", "bravo"],
      rounds: 2,
    });

    expect(result.status).toBe("decided");
    expect(result.winner).toBe("SQLite");
    expect(result.rounds.map((round) => [round.stage, round.status])).toEqual([
      ["vote", "tie"],
      ["deliberation", "decided"],
    ]);
    const shownToBravo = promptText(requestsOf("bravo")[1]);
    expect(shownToBravo).toContain("Member 1: SQLite");
    expect(shownToBravo).toContain("One file, no server.");
    expect(shownToBravo).not.toMatch(/alpha|bravo/);
    expect(promptText(requestsOf("alpha")[1])).toContain("Concurrent writers need it.");
  });

  it("puts the chair's compromise to a final vote when deliberation leaves a deadlock", async () => {
    const { gateway, requestsOf } = scriptedCommittee(server, {
      alpha: [choice("SQLite"), choice("SQLite"), choice("accept", "Fair.")],
      bravo: [choice("PostgreSQL"), choice("PostgreSQL"), choice("accept", "Works for me.")],
      chair: [
        { compromise: "SQLite now, PostgreSQL when writes grow", rationale: "Both concerns." },
      ],
    });

    const result = await vote(gateway, undefined, {
      question,
      options,
      members: ["alpha", "bravo"],
      chair: "chair",
    });

    expect(result).toMatchObject({
      status: "decided",
      winner: "SQLite now, PostgreSQL when writes grow",
      compromise: { adopted: true },
    });
    expect(result.rounds.map((round) => round.stage)).toEqual([
      "vote",
      "deliberation",
      "compromise",
    ]);
    expect(result.rounds[2]?.tallies).toEqual({ accept: 2, reject: 0 });
    expect(promptText(requestsOf("chair")[0])).not.toMatch(/alpha|bravo/);
  });

  it("ends in no_consensus with the tallies when there is no chair and the tie stays", async () => {
    const { gateway } = scriptedCommittee(server, {
      alpha: [choice("SQLite")],
      bravo: [choice("PostgreSQL")],
    });

    const result = await vote(gateway, undefined, {
      question,
      options,
      members: ["alpha", "bravo"],
      rounds: 0,
    });

    expect(result).toMatchObject({ success: false, status: "no_consensus", winner: null });
    expect(result.rounds[0]).toMatchObject({
      status: "tie",
      tallies: { SQLite: 1, PostgreSQL: 1, MySQL: 0 },
    });
  });

  it("breaks a tie by the stated rule first-ranked: the tied option listed first", async () => {
    const { gateway } = scriptedCommittee(server, {
      alpha: [choice("SQLite")],
      bravo: [choice("PostgreSQL")],
    });

    const result = await vote(gateway, undefined, {
      question,
      options,
      members: ["alpha", "bravo"],
      rounds: 0,
      tieBreak: "first-ranked",
    });

    expect(result).toMatchObject({ status: "decided", winner: "PostgreSQL" });
    expect(result.explanation).toContain("first-ranked");
  });

  it("breaks a tie by the stated rule chair: the chair picks one of the tied options", async () => {
    const { gateway, requestsOf } = scriptedCommittee(server, {
      alpha: [choice("SQLite")],
      bravo: [choice("PostgreSQL")],
      chair: [choice("Oracle"), choice("SQLite", "Smaller to run.")],
    });

    const result = await vote(gateway, undefined, {
      question,
      options,
      members: ["alpha", "bravo"],
      rounds: 0,
      chair: "chair",
      tieBreak: "chair",
    });

    expect(result).toMatchObject({ status: "decided", winner: "SQLite" });
    expect(result.explanation).toContain("tie broken by the rule chair");
    // The chair may only pick a tied option: "Oracle" was repaired, MySQL was never offered.
    expect(requestsOf("chair")).toHaveLength(2);
    expect(promptText(requestsOf("chair")[0])).not.toContain("MySQL");
  });

  it("counts weights per member alias under weighted", async () => {
    const { gateway } = scriptedCommittee(server, {
      alpha: [choice("SQLite")],
      bravo: [choice("PostgreSQL")],
      charlie: [choice("PostgreSQL")],
    });

    const result = await vote(gateway, undefined, {
      question,
      options,
      members: ["alpha", "bravo", "charlie"],
      method: "weighted",
      weights: { alpha: 3 },
    });

    expect(result.winner).toBe("SQLite");
    expect(result.rounds[0]?.tallies).toMatchObject({ SQLite: 3, PostgreSQL: 2 });
  });

  it("reports no_quorum when too few ballots are valid", async () => {
    const { gateway } = scriptedCommittee(server, {
      alpha: [choice("SQLite")],
      bravo: [{ kind: "error", status: 400 }],
    });

    const result = await vote(gateway, undefined, {
      question,
      options,
      members: ["alpha", "bravo"],
      quorum: 2,
    });

    expect(result.status).toBe("no_quorum");
    expect(result.abstentions[0]?.reason).toMatch(/^no answer \(/);
  });
});

describe("open questions (--free)", () => {
  it("groups by normalised text, then lets the judge merge the rest in one call", async () => {
    const free = (answer: string) => ({ answer, confidence: 0.9, rationale: "Because." });
    const { gateway, requestsOf } = scriptedCommittee(server, {
      alpha: [free("Paris")],
      bravo: [free("  paris. ")],
      charlie: [free("The city of Paris")],
      delta: [free("Lyon")],
      judge: [{ groups: [[0, 1], [2]] }],
    });

    const result = await vote(gateway, undefined, {
      question: "What is the capital of France?",
      members: ["alpha", "bravo", "charlie", "delta"],
      free: true,
      chair: "judge",
    });

    expect(result.winner).toBe("Paris");
    expect(result.grouping?.groups).toEqual([
      {
        label: "Paris",
        members: ["Member 1", "Member 2", "Member 3"],
        answers: ["Paris", "paris.", "The city of Paris"],
      },
      { label: "Lyon", members: ["Member 4"], answers: ["Lyon"] },
    ]);
    expect(result.grouping?.judge).toEqual({ model: "judge", outcome: "grouped" });
    expect(requestsOf("judge")).toHaveLength(1);
    // Three distinct texts after normalising: Paris, The city of Paris, Lyon.
    expect(promptText(requestsOf("judge")[0])).toContain("2: Lyon");
    expect(result.rounds[0]?.tallies).toEqual({ Paris: 3, Lyon: 1 });
  });
});
