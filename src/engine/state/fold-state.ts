import type { StateChannel } from "../workflow-definition.js";
import { initialValue, reducerOf } from "./reducers.js";

/** One committed write set: the state delta of one succeeded step attempt. */
export interface StateDelta {
  iteration: number;
  /** The step's index in the definition: the deterministic order of writes. */
  stepIndex: number;
  writes: Readonly<Record<string, unknown>>;
}

/**
 * The run state as the fold of its committed deltas: by iteration, then by the step order of
 * the definition (never by completion order, so a resumed run folds to the same state as an
 * uninterrupted one). Channels with `scope: iteration` restart from their initial value at
 * each iteration; only deltas up to `iteration` count.
 */
export function foldState(
  channels: readonly StateChannel[],
  deltas: readonly StateDelta[],
  iteration: number,
): Record<string, unknown> {
  const ordered = deltas
    .filter((delta) => delta.iteration <= iteration)
    .sort((a, b) => a.iteration - b.iteration || a.stepIndex - b.stepIndex);
  const state: Record<string, unknown> = {};
  for (const channel of channels) state[channel.name] = initialValue(channel);
  const byName = new Map(channels.map((channel) => [channel.name, channel]));
  let current = 0;
  for (const delta of ordered) {
    for (; current < delta.iteration; current += 1) resetIterationScope(channels, state);
    for (const [name, value] of Object.entries(delta.writes)) {
      const channel = byName.get(name);
      if (!channel) continue;
      state[name] = reducerOf(channel)(state[name], value);
    }
  }
  for (; current < iteration; current += 1) resetIterationScope(channels, state);
  return state;
}

function resetIterationScope(channels: readonly StateChannel[], state: Record<string, unknown>) {
  for (const channel of channels) {
    if (channel.scope === "iteration") state[channel.name] = initialValue(channel);
  }
}
