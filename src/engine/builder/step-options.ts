import type { ZodType } from "zod";
import type { StepContext } from "../run/step-context.js";
import type { EvaluationScope, WorkflowDefinition } from "../workflow-definition.js";
import type { ScopeFunction } from "./function-expression.js";

/** Text, or a function of the evaluation scope. */
export type TemplateInput = string | ScopeFunction<unknown>;

/** Options every step kind takes. */
export interface CommonStepOptions {
  needs?: readonly string[];
  /** False: the step is skipped (its dependents run and see it skipped). */
  when?: (scope: EvaluationScope) => boolean;
  timeoutMs?: number;
  /** @defaultValue 0 */
  retries?: number;
  /** `fail`, `continue`, or the id of a fallback step. @defaultValue "fail" */
  onFailure?: "fail" | "continue" | { fallback: string };
  /** @defaultValue "fail" */
  onExhausted?: "fail" | "pause";
  /** State writes after success: channel → function of the scope (`scope.output` is this step's view). */
  writes?: Readonly<Record<string, ScopeFunction<unknown>>>;
  estimateMs?: number;
}

export interface CodeStepOptions<
  Inputs extends Record<string, unknown>,
  State extends Record<string, unknown>,
  Outputs extends Record<string, unknown>,
  Output,
> extends CommonStepOptions {
  run: (context: StepContext<Inputs, State, Outputs>) => Promise<Output> | Output;
  /** Validates the return value; an invalid one fails the step with the validation message. */
  output?: ZodType<Output>;
}

export interface PromptStepOptions extends CommonStepOptions {
  model: string;
  prompt: TemplateInput;
  system?: TemplateInput;
  maxTokens?: number;
  schema?: ZodType;
}

export interface FanoutStepOptions extends CommonStepOptions {
  models: readonly string[];
  prompt: TemplateInput;
  system?: TemplateInput;
  maxTokens?: number;
  /** @defaultValue 1 */
  minSuccesses?: number;
}

export interface ApprovalStepOptions extends CommonStepOptions {
  title: TemplateInput;
  prompt: TemplateInput;
  data?: TemplateInput;
  /** Rejected on its own after this long. */
  approvalTimeoutMs?: number;
}

export interface CommandStepOptions extends CommonStepOptions {
  argv: readonly TemplateInput[];
  cwd?: TemplateInput;
  env?: Readonly<Record<string, TemplateInput>>;
}

export interface SubWorkflowStepOptions extends CommonStepOptions {
  workflow: WorkflowDefinition | { build(): WorkflowDefinition };
  inputs?: Readonly<Record<string, TemplateInput>>;
}

export interface LoopOptions {
  until?: (scope: EvaluationScope) => boolean;
  maxIterations: number;
  noImprovement?: number;
  score?: (scope: EvaluationScope) => number;
}
