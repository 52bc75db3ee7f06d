/**
 * Turns anything thrown (strings, plain objects, undefined) into an Error so callers can rely
 * on `.message` and `.stack`. User code can throw anything.
 */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === "string") return new Error(thrown);
  if (typeof thrown === "object" && thrown !== null && "message" in thrown) {
    const error = new Error(String((thrown as { message: unknown }).message));
    return Object.assign(error, { cause: thrown });
  }
  return new Error(`Non-error value thrown: ${String(thrown)}`);
}
