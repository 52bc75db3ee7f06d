/**
 * The marker of one error class. `Symbol.for` returns the same symbol in every copy of the
 * package loaded into a process, so `isInstance` holds where `instanceof` would not (two
 * versions in one dependency tree, a bundled copy, another realm). Each class sets its own
 * marker on its instances, and a subclass's instances carry every ancestor's too.
 */
export function errorMarker(className: string): symbol {
  return Symbol.for(`orkestra.error.${className}`);
}

/** Whether `value` carries `marker`: it was made by that class, in any copy, or a subclass. */
export function hasErrorMarker(value: unknown, marker: symbol): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[marker] === true
  );
}
