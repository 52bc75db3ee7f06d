import { redactSecrets } from "../observability/index.js";

/** The parts of a driver error the store's mappers look at, with the message already scrubbed. */
export interface DriverErrorFacts {
  /** Redacted driver message. */
  message: string;
  /** SQLSTATE, SQLite code or errno, when the driver gave one. */
  driverCode: string | undefined;
}

export function describeDriverError(error: unknown): DriverErrorFacts {
  const message = error instanceof Error ? error.message : String(error);
  const code =
    typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  return {
    message: redactSecrets(message),
    driverCode: typeof code === "string" ? code : undefined,
  };
}
