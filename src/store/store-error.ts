import { errorMarker, hasErrorMarker, OrkestraError } from "../errors/index.js";

const marker = errorMarker("StoreError");

/** Every code a StoreError can carry; stable across releases. */
export const STORE_ERROR_CODES = [
  "store.invalid_url",
  "store.connect",
  "store.permission",
  "store.migrate",
  "store.busy",
  "store.constraint",
  "store.query",
  "store.closed",
  "store.newer_schema",
] as const;

export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

/** Codes worth another attempt unless the mapper says otherwise. */
const RETRYABLE_BY_DEFAULT: ReadonlySet<StoreErrorCode> = new Set(["store.busy"]);

export interface StoreErrorOptions {
  code: StoreErrorCode;
  /** Whether the same operation may succeed if tried again. @defaultValue true for `store.busy` */
  retryable?: boolean;
  /** The driver's own code: SQLSTATE (`40001`), SQLite code (`SQLITE_BUSY`) or errno (`ECONNREFUSED`). */
  driverCode?: string;
  /** The migration that failed, for `store.migrate`. */
  migration?: string;
  hint?: string;
  cause?: unknown;
}

/**
 * What the store throws. Messages never hold a password: URLs are shown through `displayUrl`
 * and driver messages pass through `redactSecrets` before they get here.
 */
export class StoreError extends OrkestraError {
  readonly [marker] = true;
  declare readonly code: StoreErrorCode;
  readonly driverCode: string | undefined;
  readonly migration: string | undefined;

  constructor(message: string, options: StoreErrorOptions) {
    super(message, {
      code: options.code,
      hint: options.hint,
      retryable: options.retryable ?? RETRYABLE_BY_DEFAULT.has(options.code),
      cause: options.cause,
    });
    this.name = "StoreError";
    this.driverCode = options.driverCode;
    this.migration = options.migration;
  }

  static override isInstance(error: unknown): error is StoreError {
    return hasErrorMarker(error, marker);
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      driverCode: this.driverCode ?? null,
      migration: this.migration ?? null,
    };
  }
}
