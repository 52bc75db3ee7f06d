import { describe, expect, it } from "vitest";
import { UsageError } from "../../errors/index.js";
import type { Ballot, VotingMethod } from "../ballot.js";
import { tally, VOTING_METHODS } from "./tally.js";

describe("tally", () => {
  it("does not decide below the quorum, and still shows the count", () => {
    const ballots: Ballot[] = [
      { member: "Member 1", choice: "A" },
      { member: "Member 2", choice: "A" },
      { member: "Member 3", abstention: { reason: "invalid after its repair turn" } },
    ];
    const result = tally("plurality", ballots, ["A", "B"], { quorum: 3 });
    expect(result).toMatchObject({ status: "no_quorum", validBallots: 2, abstentions: 1 });
    expect(result.winner).toBeUndefined();
    expect(result.rounds).toEqual([{ tallies: { A: 2, B: 0 }, eliminated: [] }]);
    expect(result.explanation).toContain("No quorum: 2 valid ballots, 3 needed");
    expect(result.explanation).toContain("quorum 3 not met");
    expect(tally("plurality", ballots, ["A", "B"], { quorum: 2 }).status).toBe("decided");
  });

  it("is no_quorum for every method when no ballot is valid", () => {
    for (const method of VOTING_METHODS) {
      const result = tally(
        method,
        [{ member: "Member 1", abstention: { reason: "timed out" } }],
        ["A", "B"],
      );
      expect(result, method).toMatchObject({
        status: "no_quorum",
        validBallots: 0,
        abstentions: 1,
      });
    }
  });

  it("names a plurality tie in option order", () => {
    const ballots = [
      { member: "Member 1", choice: "C" },
      { member: "Member 2", choice: "A" },
      { member: "Member 3", choice: "B" },
    ];
    const result = tally("plurality", ballots, ["A", "B", "C"]);
    expect(result).toMatchObject({ status: "tie", tied: ["A", "B", "C"] });
    expect(result.explanation).toContain("Tie: A, B and C have 1 vote each");
  });

  it("counts a ballot naming an option that does not exist as an abstention with the reason", () => {
    const cases: [VotingMethod, Ballot, string][] = [
      [
        "plurality",
        { member: "Member 2", choice: "Paris" },
        'chose "Paris", which is not one of the options',
      ],
      [
        "majority",
        { member: "Member 2", ranking: ["A"] },
        "no choice: majority counts a ballot's choice",
      ],
      [
        "ranked",
        { member: "Member 2", ranking: ["A", "Paris"] },
        'ranks "Paris", which is not one of the options',
      ],
      ["borda", { member: "Member 2", ranking: ["A", "A"] }, 'ranks "A" twice'],
      ["condorcet", { member: "Member 2", ranking: [] }, "the ranking is empty"],
      [
        "approval",
        { member: "Member 2", approvals: ["Paris"] },
        'approves "Paris", which is not one of the options',
      ],
      [
        "approval",
        { member: "Member 2", choice: "A" },
        "no approvals: approval counts a ballot's approvals",
      ],
    ];
    for (const [method, ballot, reason] of cases) {
      const valid: Ballot = { member: "Member 1", choice: "B", ranking: ["B"], approvals: ["B"] };
      const result = tally(method, [valid, ballot], ["A", "B"]);
      expect(result, method).toMatchObject({ validBallots: 1, abstentions: 1, winner: "B" });
      expect(result.abstained, method).toEqual([{ member: "Member 2", reason }]);
    }
  });

  it("does not crash on ballots that are not ballots at all", () => {
    const junk = [null, 7, { member: 3, choice: 4 }, { member: "Member 9", abstention: {} }];
    const result = tally("plurality", junk as unknown as Ballot[], ["A", "B"]);
    expect(result).toMatchObject({ status: "no_quorum", validBallots: 0, abstentions: 4 });
    expect(result.abstained).toEqual([
      { member: "(no member)", reason: "no choice: plurality counts a ballot's choice" },
      { member: "(no member)", reason: "the ballot is not an object" },
      { member: "(no member)", reason: "the ballot is not an object" },
      { member: "Member 9", reason: "abstained" },
    ]);
  });

  it("lists abstentions by member, Member 2 before Member 10, and names at most three", () => {
    const ballots: Ballot[] = [10, 2, 7, 1].map((number) => ({
      member: `Member ${number}`,
      abstention: { reason: "refused by the budget" },
    }));
    ballots.push({ member: "Member 3", choice: "A" });
    const result = tally("plurality", ballots, ["A", "B"]);
    expect(result.abstained?.map((abstention) => abstention.member)).toEqual([
      "Member 1",
      "Member 2",
      "Member 7",
      "Member 10",
    ]);
    expect(result.explanation).toContain(
      "4 abstentions, not counted (Member 1: refused by the budget; Member 2: refused by the budget; Member 7: refused by the budget; and 1 more)",
    );
  });

  it("counts options with any name, __proto__ included", () => {
    const result = tally(
      "plurality",
      [{ member: "Member 1", choice: "__proto__" }],
      ["__proto__", "constructor"],
    );
    expect(result.winner).toBe("__proto__");
    expect(Object.keys(result.rounds[0]?.tallies ?? {})).toEqual(["__proto__", "constructor"]);
  });

  it("refuses bad settings and options as usage errors that say what to do", () => {
    const ballots = [{ member: "Member 1", choice: "A" }];
    for (const threshold of [0.5, 0.3, 1.01, Number.NaN]) {
      expect(() => tally("supermajority", ballots, ["A", "B"], { threshold })).toThrow(
        /threshold .* is outside \(0\.5, 1\]/,
      );
    }
    for (const quorum of [0, 1.5, -2]) {
      expect(() => tally("plurality", ballots, ["A", "B"], { quorum })).toThrow(
        /quorum .* is not a whole number of at least 1/,
      );
    }
    expect(() => tally("plurality", ballots, ["A", "A"])).toThrow(UsageError);
    expect(() => tally("plurality", ballots, ["A", "A"])).toThrow('option "A" is listed twice');
    expect(() => tally("coin-toss" as VotingMethod, ballots, ["A", "B"])).toThrow(
      'unknown voting method "coin-toss"',
    );
  });
});
