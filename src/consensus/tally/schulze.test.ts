import { describe, expect, it } from "vitest";
import type { Ballot } from "../ballot.js";
import { tally } from "./tally.js";

function rankings(groups: [number, string][]): Ballot[] {
  let member = 0;
  return groups.flatMap(([voters, order]) =>
    Array.from({ length: voters }, () => {
      member += 1;
      return { member: `Member ${member}`, ranking: order.split("") };
    }),
  );
}

describe("condorcet (Schulze)", () => {
  it("elects E in Schulze's 45-voter example, with the d[X,Y] and p[X,Y] tables", () => {
    // Wikipedia, "Schulze method", the example with 45 voters and 5 candidates.
    const ballots = rankings([
      [5, "ACBED"],
      [5, "ADECB"],
      [8, "BEDAC"],
      [3, "CABED"],
      [7, "CAEBD"],
      [2, "CBADE"],
      [7, "DCEBA"],
      [8, "EBADC"],
    ]);
    const result = tally("condorcet", ballots, ["A", "B", "C", "D", "E"]);
    expect(result).toMatchObject({ status: "decided", winner: "E", validBallots: 45 });
    expect(result.pairwise).toEqual({
      A: { B: 20, C: 26, D: 30, E: 22 },
      B: { A: 25, C: 16, D: 33, E: 18 },
      C: { A: 19, B: 29, D: 17, E: 24 },
      D: { A: 15, B: 12, C: 28, E: 14 },
      E: { A: 23, B: 27, C: 21, D: 31 },
    });
    expect(result.strongestPaths).toEqual({
      A: { B: 28, C: 28, D: 30, E: 24 },
      B: { A: 25, C: 28, D: 33, E: 24 },
      C: { A: 25, B: 29, D: 29, E: 24 },
      D: { A: 25, B: 28, C: 28, E: 24 },
      E: { A: 25, B: 28, C: 28, D: 31 },
    });
    // The Schulze order is E > A > C > B > D: wins on strongest paths 4, 3, 2, 1, 0.
    expect(result.rounds[0]?.tallies).toEqual({ A: 3, B: 1, C: 2, D: 0, E: 4 });
    expect(result.explanation).toContain("There is no Condorcet winner");
  });

  it("names a tie when a cycle is equally strong all round", () => {
    const ballots = rankings([
      [1, "ABC"],
      [1, "BCA"],
      [1, "CAB"],
    ]);
    const result = tally("condorcet", ballots, ["A", "B", "C"]);
    expect(result).toMatchObject({ status: "tie", tied: ["A", "B", "C"] });
    expect(result.winner).toBeUndefined();
    expect(result.pairwise).toEqual({
      A: { B: 2, C: 1 },
      B: { A: 1, C: 2 },
      C: { A: 2, B: 1 },
    });
    expect(result.strongestPaths).toEqual({
      A: { B: 2, C: 2 },
      B: { A: 2, C: 2 },
      C: { A: 2, B: 2 },
    });
  });

  it("ranks a ranked option above every option a partial ballot leaves out, and compares no two left out", () => {
    const ballots = rankings([
      [2, "A"],
      [1, "CB"],
    ]);
    const result = tally("condorcet", ballots, ["A", "B", "C"]);
    expect(result.pairwise).toEqual({
      A: { B: 2, C: 2 },
      B: { A: 1, C: 0 },
      C: { A: 1, B: 1 },
    });
    expect(result).toMatchObject({ status: "decided", winner: "A" });
  });
});
