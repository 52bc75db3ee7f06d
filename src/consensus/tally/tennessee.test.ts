import { describe, expect, it } from "vitest";
import type { Ballot } from "../ballot.js";
import { tally } from "./tally.js";

/**
 * The Tennessee capital election (Wikipedia, "Tennessee capital election" example used by the
 * articles on plurality, Borda, IRV and Condorcet methods): 100 voters, each ranking the four
 * cities by distance from home.
 */
const CITIES = ["Memphis", "Nashville", "Chattanooga", "Knoxville"];
const ELECTORATE: [number, string[]][] = [
  [42, ["Memphis", "Nashville", "Chattanooga", "Knoxville"]],
  [26, ["Nashville", "Chattanooga", "Knoxville", "Memphis"]],
  [15, ["Chattanooga", "Knoxville", "Nashville", "Memphis"]],
  [17, ["Knoxville", "Chattanooga", "Nashville", "Memphis"]],
];

function tennesseeBallots(): Ballot[] {
  let member = 0;
  return ELECTORATE.flatMap(([voters, ranking]) =>
    Array.from({ length: voters }, () => {
      member += 1;
      return { member: `Member ${member}`, choice: ranking[0], ranking };
    }),
  );
}

describe("the Tennessee capital election", () => {
  it("elects Memphis by plurality: 42 first preferences", () => {
    const result = tally("plurality", tennesseeBallots(), CITIES);
    expect(result).toMatchObject({ status: "decided", winner: "Memphis", validBallots: 100 });
    expect(result.rounds).toEqual([
      {
        tallies: { Memphis: 42, Nashville: 26, Chattanooga: 15, Knoxville: 17 },
        eliminated: [],
      },
    ]);
    expect(result.explanation).toContain("Memphis wins with 42 votes");
  });

  it("has no majority: Memphis's 42 is not more than half of 100", () => {
    const result = tally("majority", tennesseeBallots(), CITIES);
    expect(result.status).toBe("no_majority");
    expect(result.winner).toBeUndefined();
    expect(result.explanation).toContain("51 of 100");
  });

  it("elects Nashville by Borda count: 194 points (3, 2, 1, 0 per ballot)", () => {
    const result = tally("borda", tennesseeBallots(), CITIES);
    expect(result).toMatchObject({ status: "decided", winner: "Nashville" });
    // Memphis 42×3; Nashville 26×3 + 42×2 + 15 + 17; Chattanooga 15×3 + (26+17)×2 + 42;
    // Knoxville 17×3 + 15×2 + 26.
    expect(result.rounds[0]?.tallies).toEqual({
      Memphis: 126,
      Nashville: 194,
      Chattanooga: 173,
      Knoxville: 107,
    });
  });

  it("elects Knoxville by instant run-off, eliminating Chattanooga then Nashville", () => {
    const result = tally("ranked", tennesseeBallots(), CITIES);
    expect(result).toMatchObject({ status: "decided", winner: "Knoxville" });
    expect(result.rounds).toEqual([
      {
        tallies: { Memphis: 42, Nashville: 26, Chattanooga: 15, Knoxville: 17 },
        eliminated: ["Chattanooga"],
        exhausted: 0,
      },
      {
        tallies: { Memphis: 42, Nashville: 26, Knoxville: 32 },
        eliminated: ["Nashville"],
        exhausted: 0,
      },
      { tallies: { Memphis: 42, Knoxville: 58 }, eliminated: [], exhausted: 0 },
    ]);
    expect(result.explanation).toContain("Round 3: Knoxville 58, Memphis 42");
  });

  it("elects Nashville by Schulze, the Condorcet winner, with its pairwise and path tables", () => {
    const result = tally("condorcet", tennesseeBallots(), CITIES);
    expect(result).toMatchObject({ status: "decided", winner: "Nashville" });
    expect(result.pairwise).toEqual({
      Memphis: { Nashville: 42, Chattanooga: 42, Knoxville: 42 },
      Nashville: { Memphis: 58, Chattanooga: 68, Knoxville: 68 },
      Chattanooga: { Memphis: 58, Nashville: 32, Knoxville: 83 },
      Knoxville: { Memphis: 58, Nashville: 32, Chattanooga: 17 },
    });
    // Defeats: Nashville over everyone, Chattanooga over Knoxville and Memphis, Knoxville
    // over Memphis; nobody beats Nashville, so every path into it is 0.
    expect(result.strongestPaths).toEqual({
      Memphis: { Nashville: 0, Chattanooga: 0, Knoxville: 0 },
      Nashville: { Memphis: 58, Chattanooga: 68, Knoxville: 68 },
      Chattanooga: { Memphis: 58, Nashville: 0, Knoxville: 83 },
      Knoxville: { Memphis: 58, Nashville: 0, Chattanooga: 0 },
    });
    expect(result.rounds[0]?.tallies).toEqual({
      Memphis: 0,
      Nashville: 3,
      Chattanooga: 2,
      Knoxville: 1,
    });
    expect(result.explanation).toContain("Nashville is also the Condorcet winner");
  });
});
