import { describe, expect, it } from "vitest";
import { tally } from "./tally.js";

describe("borda", () => {
  it("lets the options a partial ranking leaves out share the points of the places left", () => {
    // 4 options: places are worth 3, 2, 1, 0.
    const ballots = [
      { member: "Member 1", ranking: ["A", "B", "C", "D"] }, // A 3, B 2, C 1, D 0
      { member: "Member 2", ranking: ["B"] }, // B 3; A, C, D share 2 + 1 + 0: 1 each
      { member: "Member 3", ranking: ["C", "A"] }, // C 3, A 2; B, D share 1 + 0: 0.5 each
      { member: "Member 4", ranking: ["D", "C", "B"] }, // D 3, C 2, B 1; A alone gets 0
    ];
    const result = tally("borda", ballots, ["A", "B", "C", "D"]);
    expect(result.rounds).toEqual([{ tallies: { A: 6, B: 6.5, C: 7, D: 4.5 }, eliminated: [] }]);
    expect(result).toMatchObject({ status: "decided", winner: "C" });
    expect(result.explanation).toContain("share the points of the places left equally");
  });

  it("names a tie on equal points", () => {
    const ballots = [
      { member: "Member 1", ranking: ["A"] },
      { member: "Member 2", ranking: ["B", "A"] },
      { member: "Member 3", ranking: ["C", "B", "A"] },
    ];
    // 3 options, 2/1/0: A 2 + 1 + 0; B 0.5 + 2 + 1; C 0.5 + 0 + 2.
    const result = tally("borda", ballots, ["A", "B", "C"]);
    expect(result.rounds[0]?.tallies).toEqual({ A: 3, B: 3.5, C: 2.5 });
    expect(result.winner).toBe("B");
    const tied = tally(
      "borda",
      ballots.slice(0, 1).concat({ member: "Member 2", ranking: ["B"] }),
      ["A", "B"],
    );
    expect(tied).toMatchObject({ status: "tie", tied: ["A", "B"] });
    expect(tied.rounds[0]?.tallies).toEqual({ A: 1, B: 1 });
  });
});
