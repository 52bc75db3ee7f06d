import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Ballot, TallyOptions, VotingMethod } from "../ballot.js";
import { tally, VOTING_METHODS } from "./tally.js";

const POOL = ["A", "B", "C", "D", "E"];

/** 1 to 5 distinct options from POOL, in a random order. */
const optionsArbitrary = fc.shuffledSubarray(POOL, { minLength: 1, maxLength: 5 });

/** A name: usually an option, sometimes one that does not exist. */
const nameArbitrary = (options: readonly string[]) =>
  fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...options) },
    { weight: 1, arbitrary: fc.constant("Z") },
  );

/** Any ballot a committee might pass, invalid ones included, with decimals that round badly. */
const ballotArbitrary = (options: readonly string[]) =>
  fc.record(
    {
      choice: nameArbitrary(options),
      ranking: fc.oneof(
        fc.shuffledSubarray([...options], { minLength: 1 }),
        fc.array(nameArbitrary(options), { maxLength: 4 }),
      ),
      approvals: fc.shuffledSubarray([...options]),
      weight: fc.constantFrom(0.1, 0.2, 0.3, 1, 1.5, 2, -1),
      abstention: fc.constant({ reason: "refused by the budget" }),
    },
    { requiredKeys: [] },
  );

/** Ballots with member labels unique within the vote, as a committee gives them. */
const ballotsArbitrary = (options: readonly string[], maxLength = 30) =>
  fc
    .array(ballotArbitrary(options), { maxLength })
    .map((ballots) =>
      ballots.map((ballot, index): Ballot => ({ ...ballot, member: `Member ${index + 1}` })),
    );

const settingsArbitrary: fc.Arbitrary<TallyOptions> = fc.record(
  { quorum: fc.integer({ min: 1, max: 4 }), threshold: fc.constantFrom(0.51, 0.6, 2 / 3, 0.75, 1) },
  { requiredKeys: [] },
);

describe("tally properties", () => {
  it("gives the same result whatever the order of the ballots, for every method", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VOTING_METHODS),
        optionsArbitrary.chain((options) =>
          ballotsArbitrary(options).chain((ballots) =>
            fc.tuple(
              fc.constant(options),
              fc.constant(ballots),
              fc.shuffledSubarray(ballots, { minLength: ballots.length }),
            ),
          ),
        ),
        settingsArbitrary,
        (method, [options, ballots, permuted], settings) => {
          expect(tally(method, permuted, options, settings)).toEqual(
            tally(method, ballots, options, settings),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("elects the Condorcet winner by condorcet whenever there is one", () => {
    let withWinner = 0;
    fc.assert(
      fc.property(
        optionsArbitrary.chain((options) =>
          fc.tuple(
            fc.constant(options),
            fc.array(fc.shuffledSubarray(options, { minLength: 1 }), {
              minLength: 1,
              maxLength: 15,
            }),
          ),
        ),
        ([options, rankings]) => {
          const expected = condorcetWinner(rankings, options);
          if (expected === undefined) return;
          withWinner += 1;
          const ballots = rankings.map((ranking, index) => ({
            member: `Member ${index + 1}`,
            ranking,
          }));
          expect(tally("condorcet", ballots, options)).toMatchObject({
            status: "decided",
            winner: expected,
          });
        },
      ),
      { numRuns: 500 },
    );
    expect(withWinner).toBeGreaterThan(100);
  });

  it("never makes the plurality winner lose, or a tied option fail to win, by one more vote for it", () => {
    fc.assert(
      fc.property(
        optionsArbitrary.chain((options) =>
          fc.tuple(fc.constant(options), ballotsArbitrary(options)),
        ),
        ([options, ballots]) => {
          const before = tally("plurality", ballots, options);
          const favoured = before.winner ?? before.tied?.[0];
          if (favoured === undefined) return;
          const after = tally(
            "plurality",
            [...ballots, { member: "Member 999", choice: favoured }],
            options,
          );
          expect(after).toMatchObject({ status: "decided", winner: favoured });
        },
      ),
      { numRuns: 500 },
    );
  });

  it("makes each stricter decision the same decision by the looser rules", () => {
    // unanimous ⇒ supermajority ⇒ majority ⇒ plurality, and a first-choice majority wins the
    // run-off in its first round.
    const chain: VotingMethod[] = ["unanimous", "supermajority", "majority", "plurality"];
    fc.assert(
      fc.property(
        optionsArbitrary.chain((options) =>
          fc.tuple(
            fc.constant(options),
            fc.array(fc.shuffledSubarray(options, { minLength: 1 }), { maxLength: 12 }),
          ),
        ),
        ([options, rankings]) => {
          const ballots = rankings.map((ranking, index) => ({
            member: `Member ${index + 1}`,
            choice: ranking[0],
            ranking,
          }));
          chain.forEach((method, position) => {
            const winner = tally(method, ballots, options).winner;
            if (winner === undefined) return;
            for (const looser of chain.slice(position + 1)) {
              expect(tally(looser, ballots, options).winner, `${method} → ${looser}`).toBe(winner);
            }
          });
          const majority = tally("majority", ballots, options);
          if (majority.winner !== undefined) {
            const runoff = tally("ranked", ballots, options);
            expect(runoff.winner).toBe(majority.winner);
            expect(runoff.rounds).toHaveLength(1);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("counts weighted ballots of weight 1 exactly as plurality", () => {
    fc.assert(
      fc.property(
        optionsArbitrary.chain((options) =>
          fc.tuple(fc.constant(options), ballotsArbitrary(options)),
        ),
        ([options, ballots]) => {
          const unweighted = ballots.map(({ weight: _weight, ...ballot }) => ballot);
          // Only the words differ: the method's name in the rule and in abstention reasons.
          const {
            explanation: _rule,
            abstained: _reasons,
            ...weighted
          } = tally("weighted", unweighted, options);
          const {
            explanation: _other,
            abstained: _same,
            ...plurality
          } = tally("plurality", unweighted, options);
          expect(weighted).toEqual({ ...plurality, method: "weighted" });
        },
      ),
    );
  });
});

/** Brute force, independent of the implementation: beats every other option head to head. */
function condorcetWinner(
  rankings: readonly string[][],
  options: readonly string[],
): string | undefined {
  const place = (ranking: readonly string[], option: string) => {
    const index = ranking.indexOf(option);
    return index === -1 ? Number.POSITIVE_INFINITY : index;
  };
  const prefer = (x: string, y: string) =>
    rankings.filter((ranking) => place(ranking, x) < place(ranking, y)).length;
  return options.find((x) => options.every((y) => y === x || prefer(x, y) > prefer(y, x)));
}
