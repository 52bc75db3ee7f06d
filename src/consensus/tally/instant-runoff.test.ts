import { describe, expect, it } from "vitest";
import type { Ballot } from "../ballot.js";
import { tally } from "./tally.js";

function rankings(groups: [number, string[]][]): Ballot[] {
  let member = 0;
  return groups.flatMap(([voters, ranking]) =>
    Array.from({ length: voters }, () => {
      member += 1;
      return { member: `Member ${member}`, ranking };
    }),
  );
}

describe("ranked (instant run-off)", () => {
  it("breaks a tie for the fewest by the round before, and lets exhausted ballots drop out", () => {
    const ballots = rankings([
      [5, ["A"]],
      [4, ["B"]],
      [3, ["C", "B"]],
      [1, ["D", "C"]],
    ]);
    const result = tally("ranked", ballots, ["A", "B", "C", "D"]);
    expect(result.rounds).toEqual([
      { tallies: { A: 5, B: 4, C: 3, D: 1 }, eliminated: ["D"], exhausted: 0 },
      // B and C tie at 4; C had 3 to B's 4 in round 1, so C goes.
      { tallies: { A: 5, B: 4, C: 4 }, eliminated: ["C"], exhausted: 0 },
      // D's ballot ranked only D and C: exhausted. B has 7 of the 12 still counting.
      { tallies: { A: 5, B: 7 }, eliminated: [], exhausted: 1 },
    ]);
    expect(result).toMatchObject({ status: "decided", winner: "B", validBallots: 13 });
    expect(result.explanation).toContain(
      "B and C tie for the fewest (4); C had fewer in round 1 and is eliminated.",
    );
  });

  it("eliminates options tied for the fewest in every round together", () => {
    const ballots = rankings([
      [4, ["A"]],
      [3, ["B"]],
      [1, ["C", "B"]],
      [1, ["D", "B"]],
    ]);
    const result = tally("ranked", ballots, ["A", "B", "C", "D"]);
    expect(result.rounds).toEqual([
      { tallies: { A: 4, B: 3, C: 1, D: 1 }, eliminated: ["C", "D"], exhausted: 0 },
      { tallies: { A: 4, B: 5 }, eliminated: [], exhausted: 0 },
    ]);
    expect(result).toMatchObject({ status: "decided", winner: "B" });
    expect(result.explanation).toContain("they are eliminated together");
  });

  it("decides in the first round when an option has more than half", () => {
    const ballots = rankings([
      [2, ["A", "B"]],
      [1, ["B", "A"]],
    ]);
    const result = tally("ranked", ballots, ["A", "B", "C"]);
    expect(result.rounds).toEqual([
      { tallies: { A: 2, B: 1, C: 0 }, eliminated: [], exhausted: 0 },
    ]);
    expect(result.winner).toBe("A");
  });

  it("names a tie when every option left has the same count", () => {
    const ballots = rankings([
      [2, ["A"]],
      [2, ["B"]],
      [1, ["C"]],
    ]);
    const result = tally("ranked", ballots, ["A", "B", "C"]);
    expect(result.rounds).toEqual([
      { tallies: { A: 2, B: 2, C: 1 }, eliminated: ["C"], exhausted: 0 },
      { tallies: { A: 2, B: 2 }, eliminated: [], exhausted: 1 },
    ]);
    expect(result).toMatchObject({ status: "tie", tied: ["A", "B"] });
    expect(result.winner).toBeUndefined();
  });
});
