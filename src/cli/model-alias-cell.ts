/** A model alias as the tables show it: simulated models are labelled so. */
export function aliasCell(alias: string, simulated: boolean): string {
  return simulated ? `${alias} (simulated)` : alias;
}
