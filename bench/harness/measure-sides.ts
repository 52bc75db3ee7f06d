import { roundSlots } from "./rotation-schedule.js";
import type { SideSamples } from "./spread.js";

/** Where a sample was taken. `round` counts within its run. */
export interface SlotPlace {
  run: number;
  round: number;
  host: number;
}

/** A process (or any other place) that can measure any side, one sample at a time. */
export interface SideHost<Sample> {
  measure(side: string, place: SlotPlace): Promise<Sample>;
}

/** The hosts of one run, and whatever else the run set up for them (servers, databases). */
export interface RunHosts<Sample> {
  hosts: readonly SideHost<Sample>[];
  close(): Promise<void>;
}

export interface RotationPlan<Sample> {
  sides: readonly string[];
  /** Independent repetitions, each on hosts of its own (`startRun`). */
  runs: number;
  /**
   * Rounds per run: every side once per round. A multiple of the number of hosts lets every
   * side visit every host equally often within a run.
   */
  rounds: number;
  startRun(run: number): Promise<RunHosts<Sample>>;
  /** After each sample: progress output. */
  onSample?(side: string, sample: Sample, place: SlotPlace): void;
}

/** Every sample of every side: `samples.get(side)[run][round]`. */
export interface RotationSamples<Sample> {
  sides: readonly string[];
  runs: number;
  rounds: number;
  hostsPerRun: number;
  samples: ReadonlyMap<string, SideSamples<Sample>>;
}

/**
 * Sides × rounds × host processes, with rotation (`roundSlots`), repeated over runs: the one
 * way every benchmark here takes its samples. Sides run one at a time, so they never compete
 * for the cores; samples of the same round are paired by the summaries (`spread.ts`).
 */
export async function measureSides<Sample>(
  plan: RotationPlan<Sample>,
): Promise<RotationSamples<Sample>> {
  const samples = new Map<string, Sample[][]>(plan.sides.map((side) => [side, []]));
  let hostsPerRun = 0;
  for (let run = 0; run < plan.runs; run += 1) {
    const runHosts = await plan.startRun(run);
    try {
      hostsPerRun = runHosts.hosts.length;
      for (const side of plan.sides) samples.get(side)?.push([]);
      for (let round = 0; round < plan.rounds; round += 1) {
        const slots = roundSlots(plan.sides.length, hostsPerRun, run * plan.rounds + round);
        for (const slot of slots) {
          const side = plan.sides[slot.side];
          const host = runHosts.hosts[slot.host];
          if (side === undefined || host === undefined) throw new Error("slot out of range");
          const place = { run, round, host: slot.host };
          const sample = await host.measure(side, place);
          samples.get(side)?.[run]?.push(sample);
          plan.onSample?.(side, sample, place);
        }
      }
    } finally {
      await runHosts.close();
    }
  }
  return { sides: plan.sides, runs: plan.runs, rounds: plan.rounds, hostsPerRun, samples };
}

/** The samples of one side; throws for a side that was not measured. */
export function samplesOf<Sample>(
  measured: RotationSamples<Sample>,
  side: string,
): SideSamples<Sample> {
  const found = measured.samples.get(side);
  if (!found) throw new Error(`side "${side}" was not measured`);
  return found;
}
