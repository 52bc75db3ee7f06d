import type { ZodType } from "zod";
import type { TieBreak, VotingMethod } from "../consensus/index.js";

/**
 * The workflow definition the executor runs: what a YAML file and the TypeScript builder both
 * compile to. Everything here is already checked (graph, templates, expressions, reducers):
 * the executor never re-validates a definition, it only evaluates it.
 */
export interface WorkflowDefinition {
  name: string;
  description?: string;
  inputs: readonly InputSpec[];
  state: readonly StateChannel[];
  /** In the order of the file (or of the builder calls): the deterministic order of writes. */
  steps: readonly StepDefinition[];
  loop?: LoopSpec;
  /** Ready steps run at once, at most. @defaultValue 4 */
  concurrency?: number;
  /** Hard cap on the run's model spend, USD. */
  budgetUsd?: number;
  /** Wall-clock limit of the whole run, ms. */
  deadlineMs?: number;
  /** Where the definition came from, for messages: a file path, or `builder:<name>`. */
  source: string;
}

export type InputType = "string" | "number" | "integer" | "boolean" | "object" | "array";

export interface InputSpec {
  name: string;
  type: InputType;
  description?: string;
  /** A value used when the input is not given; an input without one is required. */
  default?: unknown;
}

export type BuiltinReducerName = "replace" | "append" | "merge" | "sum" | "max" | "min";

/** Folds one write into the channel's current value. Must be pure and deterministic. */
export type ReducerFunction = (current: unknown, update: unknown) => unknown;

export interface StateChannel {
  name: string;
  /** A built-in reducer, or a custom one (TypeScript only). */
  reducer: BuiltinReducerName | { name: string; reduce: ReducerFunction; merging: boolean };
  /** `iteration`: reset to `initial` at the start of each loop iteration. @defaultValue "run" */
  scope: "run" | "iteration";
  /** Value before any write. @defaultValue per reducer: append [], merge {}, sum 0, else undefined */
  initial?: unknown;
}

/**
 * What expressions and templates see. `steps` holds the steps of the current iteration that
 * have ended; `previous` the last iteration's (undefined in the first); `output` only in a
 * step's own `writes`.
 */
export interface EvaluationScope {
  inputs: Readonly<Record<string, unknown>>;
  state: Readonly<Record<string, unknown>>;
  steps: Readonly<Record<string, StepView>>;
  iteration: number;
  previous?: {
    steps: Readonly<Record<string, StepView>>;
    state: Readonly<Record<string, unknown>>;
  };
  output?: StepView;
}

/** An ended step as templates and expressions see it. */
export interface StepView {
  status: "succeeded" | "failed" | "skipped";
  /** The answer text (prompt, fanout synthesis, command stdout). */
  text?: string;
  /** Structured output (a prompt step with a schema), a code step's return value, … */
  object?: unknown;
  /** The step's whole output value. */
  output?: unknown;
  error?: string;
}

/** A compiled CEL expression (YAML) or a function (TypeScript). */
export interface Expression<T = unknown> {
  /** The expression text, for messages and records (`state.score >= 0.8`, or `<function>`). */
  source: string;
  evaluate(scope: EvaluationScope): T;
}

/**
 * A compiled `{{ … }}` template. `render` gives text; `resolve` gives the raw value when the
 * template is exactly one placeholder (so `writes: { score: "{{ output.object.score }}" }`
 * writes a number), and text otherwise.
 */
export interface Template {
  source: string;
  render(scope: EvaluationScope): string;
  resolve(scope: EvaluationScope): unknown;
}

export type StepKind = "prompt" | "fanout" | "approval" | "command" | "workflow" | "code" | "vote";

export type FailurePolicy =
  /** The run fails (after `onExhausted`). */
  | { type: "fail" }
  /** The step is failed, its dependents run and see it failed. */
  | { type: "continue" }
  /** The named step runs in its place; its output stands for this one. */
  | { type: "fallback"; step: string };

export interface StepBase {
  id: string;
  kind: StepKind;
  needs: readonly string[];
  /** False: the step is `skipped` with the reason; its dependents see it skipped. */
  when?: Expression<boolean>;
  /** Per attempt. */
  timeoutMs?: number;
  /** Retries after the first attempt, for retryable failures. @defaultValue 0 */
  retries: number;
  /** @defaultValue { type: "fail" } */
  onFailure: FailurePolicy;
  /** After the last retry: fail the run, or pause it so a person can fix the cause and resume. */
  onExhausted: "fail" | "pause";
  /** State writes after the step succeeds: channel → template (sees `output`). */
  writes: Readonly<Record<string, Template>>;
  /** For the critical path; else the model's recent latency from the ledger, else a default. */
  estimateMs?: number;
  /** Key path in the source (`steps.synthesis`), for messages. */
  path: string;
}

export interface PromptStep extends StepBase {
  kind: "prompt";
  /** Model alias or fallback chain. */
  model: string;
  prompt: Template;
  system?: Template;
  maxTokens?: number;
  /** Structured output: the answer is validated by it (`object` of the step view). */
  schema?: ZodType;
}

export interface FanoutStep extends StepBase {
  kind: "fanout";
  models: readonly string[];
  prompt: Template;
  system?: Template;
  maxTokens?: number;
  /** Fewer successful answers fail the step. @defaultValue 1 */
  minSuccesses: number;
}

export interface ApprovalStep extends StepBase {
  kind: "approval";
  title: Template;
  prompt: Template;
  /** What the reviewer sees besides the prompt. */
  data?: Template;
  /** Auto-reject after this long waiting. */
  approvalTimeoutMs?: number;
}

export interface CommandStep extends StepBase {
  kind: "command";
  /** Run without a shell. */
  argv: readonly Template[];
  cwd?: Template;
  env?: Readonly<Record<string, Template>>;
}

export interface SubWorkflowStep extends StepBase {
  kind: "workflow";
  workflow: WorkflowDefinition;
  inputs: Readonly<Record<string, Template>>;
}

/** What a `code` step's function receives. */
export interface CodeStepContext {
  inputs: Readonly<Record<string, unknown>>;
  state: Readonly<Record<string, unknown>>;
  steps: Readonly<Record<string, StepView>>;
  iteration: number;
  previous?: EvaluationScope["previous"];
  signal: AbortSignal;
  runId: string;
  stepId: string;
  attempt: number;
}

export interface CodeStep extends StepBase {
  kind: "code";
  /**
   * Receives the executor's full context (the gateway, a bound logger, …), typed by the
   * engine's `StepContext`; kept `unknown`-typed here so definitions do not import the runtime.
   */
  run: (context: never) => Promise<unknown> | unknown;
  output?: ZodType;
}

/** A committee decides (see the consensus layer); the output is the vote's result. */
export interface VoteStep extends StepBase {
  kind: "vote";
  question: Template;
  /**
   * Each entry is rendered to one option; a single entry that resolves to a list (`"{{
   * steps.ideas.object.options }}"`) gives the options. Empty with `free`.
   */
  options: readonly Template[];
  /** Model aliases or fallback chains. */
  members: readonly string[];
  method: VotingMethod;
  weights?: Readonly<Record<string, number>>;
  quorum?: number;
  threshold?: number;
  rounds?: number;
  chair?: string;
  tieBreak?: TieBreak;
  seed?: number;
  /** Cap on the vote's spend, USD; the run's budget left caps it too. */
  budgetUsd?: number;
  free?: boolean;
  maxTokens?: number;
}

export type StepDefinition =
  | VoteStep
  | PromptStep
  | FanoutStep
  | ApprovalStep
  | CommandStep
  | SubWorkflowStep
  | CodeStep;

export interface LoopSpec {
  /** Stop once this holds after an iteration. */
  until?: Expression<boolean>;
  maxIterations: number;
  /** Stop when the score has not improved for this many iterations. */
  noImprovement?: number;
  /** The iteration's score (a number), stored and shown per iteration. */
  score?: Expression<number>;
}

/** Why a loop stopped. */
export type LoopStopReason =
  | "until"
  | "max_iterations"
  | "no_improvement"
  | "budget"
  | "deadline"
  | "no_loop";
