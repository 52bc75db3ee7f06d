import type { Gateway } from "../../models/index.js";
import type { Logger } from "../../observability/index.js";
import type { CodeStepContext, StepView } from "../workflow-definition.js";

/** An ended step as a code step sees it, with its output typed. */
export interface TypedStepView<Output> extends StepView {
  output?: Output;
}

/**
 * What a code step's `run` receives. `steps` holds the steps of this iteration that have
 * ended (typed by the builder), `previous` the last iteration's.
 */
export interface StepContext<
  Inputs extends Record<string, unknown> = Record<string, unknown>,
  State extends Record<string, unknown> = Record<string, unknown>,
  Outputs extends Record<string, unknown> = Record<string, unknown>,
> extends CodeStepContext {
  inputs: Readonly<Inputs>;
  state: Readonly<State>;
  steps: { readonly [Id in keyof Outputs]?: TypedStepView<Outputs[Id]> } & Readonly<
    Record<string, StepView>
  >;
  /** The gateway every model call of the run goes through. */
  gateway: Gateway;
  /** Bound to the run and step (`runId`, `stepId`, `iteration`, `attempt`). */
  logger: Logger;
}
