import { describe, expect, it } from "vitest";
import type { Ballot } from "../ballot.js";
import { tally } from "./tally.js";

function choices(groups: [number, string][], abstaining = 0): Ballot[] {
  let member = 0;
  const label = () => {
    member += 1;
    return `Member ${member}`;
  };
  return [
    ...groups.flatMap(([voters, choice]) =>
      Array.from({ length: voters }, () => ({ member: label(), choice })),
    ),
    ...Array.from({ length: abstaining }, () => ({
      member: label(),
      abstention: { reason: "refused by the budget" },
    })),
  ];
}

describe("majority", () => {
  it("decides with more than half of the valid ballots, abstentions left out", () => {
    const result = tally(
      "majority",
      choices(
        [
          [2, "A"],
          [1, "B"],
        ],
        2,
      ),
      ["A", "B"],
    );
    expect(result).toMatchObject({
      status: "decided",
      winner: "A",
      validBallots: 3,
      abstentions: 2,
    });
    expect(result.explanation).toContain("2 of 3");
  });

  it("does not decide on exactly half, even for the leaders of a tie", () => {
    const result = tally(
      "majority",
      choices([
        [2, "A"],
        [2, "B"],
      ]),
      ["A", "B"],
    );
    expect(result.status).toBe("no_majority");
    expect(result.winner).toBeUndefined();
    expect(result.tied).toBeUndefined();
    expect(result.explanation).toContain("No option reached 3: A 2, B 2");
  });
});

describe("supermajority", () => {
  it("reaches the default two thirds with 6 of 9 and misses it with 5", () => {
    const reached = tally(
      "supermajority",
      choices([
        [6, "A"],
        [3, "B"],
      ]),
      ["A", "B"],
    );
    expect(reached).toMatchObject({ status: "decided", winner: "A" });
    expect(reached.explanation).toContain("at least 2/3 of the valid ballots, 6 of 9");
    const missed = tally(
      "supermajority",
      choices([
        [5, "A"],
        [4, "B"],
      ]),
      ["A", "B"],
    );
    expect(missed.status).toBe("no_majority");
  });

  it("computes a threshold exactly: 55 of 100 reaches 0.55, 54 does not", () => {
    // In floating point 100 × 0.55 is 55.00000000000001, which would ask for 56.
    const reached = tally(
      "supermajority",
      choices([
        [55, "A"],
        [45, "B"],
      ]),
      ["A", "B"],
      {
        threshold: 0.55,
      },
    );
    expect(reached).toMatchObject({ status: "decided", winner: "A" });
    expect(reached.explanation).toContain("at least 0.55 of the valid ballots, 55 of 100");
    const missed = tally(
      "supermajority",
      choices([
        [54, "A"],
        [46, "B"],
      ]),
      ["A", "B"],
      {
        threshold: 0.55,
      },
    );
    expect(missed.status).toBe("no_majority");
  });

  it("needs every valid ballot at threshold 1", () => {
    const result = tally(
      "supermajority",
      choices([
        [9, "A"],
        [1, "B"],
      ]),
      ["A", "B"],
      {
        threshold: 1,
      },
    );
    expect(result.status).toBe("no_majority");
  });
});

describe("unanimous", () => {
  it("is unanimous with an abstention: abstentions do not block, the quorum applies", () => {
    const ballots = choices([[4, "A"]], 1);
    const result = tally("unanimous", ballots, ["A", "B"]);
    expect(result).toMatchObject({
      status: "decided",
      winner: "A",
      validBallots: 4,
      abstentions: 1,
      abstained: [{ member: "Member 5", reason: "refused by the budget" }],
    });
    expect(result.explanation).toContain("abstentions do not count against unanimity");
    expect(result.explanation).toContain(
      "1 abstention, not counted (Member 5: refused by the budget)",
    );
    expect(tally("unanimous", ballots, ["A", "B"], { quorum: 5 }).status).toBe("no_quorum");
  });

  it("is not unanimous with one dissenting ballot", () => {
    const result = tally(
      "unanimous",
      choices([
        [3, "A"],
        [1, "B"],
      ]),
      ["A", "B"],
    );
    expect(result.status).toBe("no_majority");
    expect(result.explanation).toContain("No option reached 4: A 3, B 1");
  });
});
