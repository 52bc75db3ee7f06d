import { coerceError } from "../../errors/index.js";
import { ModelError } from "../../models/index.js";
import { StepFailure } from "../steps/step-runner.js";

/** An abort settles the attempt at once even when the step's own code ignores its signal. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** A failure's message and whether another attempt may help. Thrown non-errors are coerced. */
export function describeFailure(thrown: unknown): {
  message: string;
  retryable: boolean;
  kind: string;
} {
  if (thrown instanceof StepFailure)
    return { message: thrown.message, retryable: thrown.retryable, kind: thrown.kind };
  if (ModelError.isInstance(thrown))
    return { message: thrown.message, retryable: thrown.retryable, kind: thrown.kind };
  const error = coerceError(thrown);
  const retryable = (error as { retryable?: unknown }).retryable;
  return {
    message: error.message,
    retryable: retryable === undefined ? true : Boolean(retryable),
    kind: "error",
  };
}
