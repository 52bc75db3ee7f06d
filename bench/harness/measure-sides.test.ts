import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { measureSides, type SlotPlace } from "./measure-sides.js";

interface Taken {
  side: string;
  place: SlotPlace;
  /** Which run's hosts took it. */
  hostsOfRun: number;
}

describe("measureSides", () => {
  it("rotates sides over fresh hosts in every run and keeps samples by run and round", async () => {
    const taken: Taken[] = [];
    const started: number[] = [];
    const closed: number[] = [];
    const sides = ["a", "b", "c"];
    const measured = await measureSides<string>({
      sides,
      runs: 2,
      rounds: 3,
      async startRun(run) {
        started.push(run);
        return {
          hosts: [0, 1, 2].map((host) => ({
            async measure(side: string, place: SlotPlace) {
              assert.equal(place.host, host);
              taken.push({ side, place, hostsOfRun: run });
              return `${side}@${place.run}.${place.round}/${host}`;
            },
          })),
          close: async () => {
            closed.push(run);
          },
        };
      },
    });

    assert.deepEqual(started, [0, 1]);
    assert.deepEqual(closed, [0, 1]);
    assert.ok(taken.every((sample) => sample.hostsOfRun === sample.place.run));
    for (const side of sides) {
      for (const run of [0, 1]) {
        const hosts = taken
          .filter((sample) => sample.side === side && sample.place.run === run)
          .map((sample) => sample.place.host)
          .sort();
        assert.deepEqual(hosts, [0, 1, 2], `${side} in run ${run} visits every host`);
      }
    }
    const ofA = measured.samples.get("a");
    assert.equal(ofA?.length, 2);
    assert.equal(ofA?.[1]?.length, 3);
    assert.match(ofA?.[1]?.[2] ?? "", /^a@1\.2\//);
    assert.equal(measured.hostsPerRun, 3);
  });

  it("closes a run's hosts when a sample fails", async () => {
    let closed = false;
    await assert.rejects(
      measureSides<number>({
        sides: ["a"],
        runs: 1,
        rounds: 1,
        startRun: async () => ({
          hosts: [
            {
              measure: async () => {
                throw new Error("side crashed");
              },
            },
          ],
          close: async () => {
            closed = true;
          },
        }),
      }),
      /side crashed/,
    );
    assert.ok(closed);
  });
});
