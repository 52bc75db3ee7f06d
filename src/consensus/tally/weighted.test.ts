import { describe, expect, it } from "vitest";
import { tally } from "./tally.js";

describe("weighted", () => {
  it("counts each member's weight, 1 when none is given", () => {
    const ballots = [
      { member: "Member 1", choice: "A", weight: 2.5 },
      { member: "Member 2", choice: "B", weight: 1 },
      { member: "Member 3", choice: "B" },
      { member: "Member 4", choice: "C" },
    ];
    const result = tally("weighted", ballots, ["A", "B", "C"]);
    expect(result.rounds).toEqual([{ tallies: { A: 2.5, B: 2, C: 1 }, eliminated: [] }]);
    expect(result).toMatchObject({ status: "decided", winner: "A", validBallots: 4 });
    // The same ballots by plurality: B's two members outvote A's one.
    expect(tally("plurality", ballots, ["A", "B", "C"]).winner).toBe("B");
  });

  it("sums weights exactly: 0.1 + 0.2 ties 0.3", () => {
    const ballots = [
      { member: "Member 1", choice: "A", weight: 0.1 },
      { member: "Member 2", choice: "A", weight: 0.2 },
      { member: "Member 3", choice: "B", weight: 0.3 },
    ];
    const result = tally("weighted", ballots, ["A", "B"]);
    expect(result).toMatchObject({ status: "tie", tied: ["A", "B"] });
    expect(result.rounds[0]?.tallies).toEqual({ A: 0.3, B: 0.3 });
  });

  it("does not count a ballot whose weight is not a positive number", () => {
    const ballots = [
      { member: "Member 1", choice: "A", weight: -1 },
      { member: "Member 2", choice: "B", weight: 1 },
    ];
    const result = tally("weighted", ballots, ["A", "B"]);
    expect(result).toMatchObject({ status: "decided", winner: "B", validBallots: 1 });
    expect(result.abstained).toEqual([
      { member: "Member 1", reason: "weight -1 is not a positive number" },
    ]);
  });
});
