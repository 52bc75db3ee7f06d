import { describe, expect, it } from "vitest";
import { tally } from "./tally.js";

describe("approval", () => {
  it("elects the option approved by the most ballots; approving none is a valid ballot", () => {
    const ballots = [
      { member: "Member 1", approvals: ["A", "B"] },
      { member: "Member 2", approvals: ["B"] },
      { member: "Member 3", approvals: ["B", "C"] },
      { member: "Member 4", approvals: ["A", "C"] },
      { member: "Member 5", approvals: [] },
    ];
    const result = tally("approval", ballots, ["A", "B", "C"]);
    expect(result.rounds).toEqual([{ tallies: { A: 2, B: 3, C: 2 }, eliminated: [] }]);
    expect(result).toMatchObject({
      status: "decided",
      winner: "B",
      validBallots: 5,
      abstentions: 0,
    });
    expect(result.explanation).toContain("B wins with 3 approvals (A 2, C 2)");
  });

  it("names a tie, and does not count an option approved twice", () => {
    const ballots = [
      { member: "Member 1", approvals: ["A"] },
      { member: "Member 2", approvals: ["B"] },
      { member: "Member 3", approvals: ["A", "A"] },
    ];
    const result = tally("approval", ballots, ["A", "B"]);
    expect(result).toMatchObject({ status: "tie", tied: ["A", "B"], validBallots: 2 });
    expect(result.abstained).toEqual([{ member: "Member 3", reason: 'approves "A" twice' }]);
  });
});
