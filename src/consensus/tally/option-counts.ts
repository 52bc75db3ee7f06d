/** A count of zero for every option, in the order of `options`. */
export function zeroCounts(options: readonly string[]): Map<string, number> {
  return new Map(options.map((option) => [option, 0]));
}

/** The options with the highest count, in the order of `counts`. */
export function leaders<Count extends number | bigint>(
  counts: ReadonlyMap<string, Count>,
): string[] {
  let best: Count | undefined;
  let found: string[] = [];
  for (const [option, count] of counts) {
    if (best === undefined || count > best) {
      best = count;
      found = [option];
    } else if (count === best) {
      found.push(option);
    }
  }
  return found;
}

/** `counts` as the plain record a round carries (own keys, safe for any option name). */
export function talliesOf(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries(counts);
}

/** `Nashville 26, Knoxville 17`: most first, equal counts in option order. */
export function describeCounts(
  counts: ReadonlyMap<string, number>,
  leaveOut: readonly string[] = [],
): string {
  return [...counts]
    .filter(([option]) => !leaveOut.includes(option))
    .map(([option, count], position) => ({ option, count, position }))
    .sort((left, right) => right.count - left.count || left.position - right.position)
    .map(({ option, count }) => `${option} ${count}`)
    .join(", ");
}

/** `A`, `A and B`, `A, B and C`. */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** `1 vote`, `2 votes`. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
