import { errorMarker, hasErrorMarker } from "../../errors/index.js";
import { StoreError, type StoreErrorCode } from "../../store/index.js";
import type { ModelResult } from "../call/model-request.js";
import type { IncompleteStreamError } from "../streaming/model-stream.js";

const marker = errorMarker("UnrecordedSpendError");

/**
 * The provider answered (and billed) but the store failed, after retries, to settle the call's
 * budget hold. A StoreError, not the model's failure: the answer is attached, the spend is in
 * the ledger row and the `budget:settle_failed` audit event, and repeating the call would pay
 * for it twice.
 */
export class UnrecordedSpendError extends StoreError {
  readonly [marker] = true;
  /** The answer that was paid for: a result, or a stream that broke off after content. */
  readonly answer: ModelResult<unknown> | IncompleteStreamError | undefined;
  /** Model alias the spend was made on. */
  readonly model: string;
  readonly costUsd: number;

  constructor(
    message: string,
    options: {
      answer: ModelResult<unknown> | IncompleteStreamError | undefined;
      model: string;
      costUsd: number;
      cause: unknown;
    },
  ) {
    const cause = options.cause;
    const code: StoreErrorCode = StoreError.isInstance(cause) ? cause.code : "store.query";
    super(message, {
      code,
      // The store may well work again, but the operation the caller sees is a paid model call.
      retryable: false,
      ...(StoreError.isInstance(cause) && cause.driverCode !== undefined
        ? { driverCode: cause.driverCode }
        : {}),
      hint: `Do not repeat the call: the answer is attached to this error (answer). The spend is in the model ledger and the audit trail (budget:settle_failed on model:${options.model}); its budget hold is given back when it expires, so the budget counters miss it until corrected. Check that the store is reachable and writable.`,
      cause,
    });
    this.name = "UnrecordedSpendError";
    this.answer = options.answer;
    this.model = options.model;
    this.costUsd = options.costUsd;
  }

  static override isInstance(error: unknown): error is UnrecordedSpendError {
    return hasErrorMarker(error, marker);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), model: this.model, costUsd: this.costUsd };
  }
}
