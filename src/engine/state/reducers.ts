import type { BuiltinReducerName, ReducerFunction, StateChannel } from "../workflow-definition.js";
import { deepMerge } from "./deep-merge.js";

function toNumber(value: unknown, reducer: string): number {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number !== "number" || Number.isNaN(number)) {
    throw new TypeError(`the ${reducer} reducer needs numbers, got ${JSON.stringify(value)}`);
  }
  return number;
}

/** The built-in reducers: how one write folds into a channel's value. */
export const BUILTIN_REDUCERS: Readonly<Record<BuiltinReducerName, ReducerFunction>> = {
  replace: (_current, update) => update,
  // An array write appends each element; anything else is one element.
  append: (current, update) => [
    ...(Array.isArray(current) ? current : current === undefined ? [] : [current]),
    ...(Array.isArray(update) ? update : [update]),
  ],
  merge: deepMerge,
  sum: (current, update) =>
    (current === undefined ? 0 : toNumber(current, "sum")) + toNumber(update, "sum"),
  max: (current, update) =>
    current === undefined
      ? toNumber(update, "max")
      : Math.max(toNumber(current, "max"), toNumber(update, "max")),
  min: (current, update) =>
    current === undefined
      ? toNumber(update, "min")
      : Math.min(toNumber(current, "min"), toNumber(update, "min")),
};

/** Reducers under which writes of concurrent steps combine, whatever order they come in. */
const MERGING_BUILTINS: ReadonlySet<BuiltinReducerName> = new Set([
  "append",
  "merge",
  "sum",
  "max",
  "min",
]);

export function reducerOf(channel: StateChannel): ReducerFunction {
  return typeof channel.reducer === "string"
    ? BUILTIN_REDUCERS[channel.reducer]
    : channel.reducer.reduce;
}

export function reducerName(channel: StateChannel): string {
  return typeof channel.reducer === "string" ? channel.reducer : channel.reducer.name;
}

/** Whether two steps that may run at once may both write the channel. */
export function isMergingReducer(channel: StateChannel): boolean {
  return typeof channel.reducer === "string"
    ? MERGING_BUILTINS.has(channel.reducer)
    : channel.reducer.merging;
}

/** The channel's value before any write. */
export function initialValue(channel: StateChannel): unknown {
  if (channel.initial !== undefined) return structuredClone(channel.initial);
  if (channel.reducer === "append") return [];
  if (channel.reducer === "merge") return {};
  if (channel.reducer === "sum") return 0;
  return undefined;
}
