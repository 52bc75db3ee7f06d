import type { ZodType } from "zod";
import type {
  FailurePolicy,
  InputSpec,
  InputType,
  ReducerFunction,
  StateChannel,
  StepBase,
  StepDefinition,
  StepKind,
  WorkflowDefinition,
} from "../workflow-definition.js";
import { checkDefinition } from "./check-definition.js";
import { functionExpression, functionTemplate } from "./function-expression.js";
import type {
  ApprovalStepOptions,
  CodeStepOptions,
  CommandStepOptions,
  CommonStepOptions,
  FanoutStepOptions,
  LoopOptions,
  PromptStepOptions,
  SubWorkflowStepOptions,
} from "./step-options.js";

interface InputTypes {
  string: string;
  number: number;
  integer: number;
  boolean: boolean;
  object: Record<string, unknown>;
  array: unknown[];
}

export interface InputOptions<Type extends InputType> {
  type: Type;
  description?: string;
  default?: InputTypes[Type];
}

export interface StateOptions<Value> {
  /** A built-in reducer, or a custom function (then say whether it merges concurrent writes). */
  reducer?: StateChannel["reducer"] | ReducerFunction;
  /** With a custom function: whether writes of concurrent steps may be folded with it. @defaultValue false */
  merging?: boolean;
  /** @defaultValue "run" */
  scope?: "run" | "iteration";
  initial?: Value;
}

/** The output of a prompt step, as code steps see it. */
export interface PromptOutput {
  text: string;
  object?: unknown;
  model: string;
}

/**
 * The typed workflow builder:
 *
 * ```ts
 * const review = workflow("review")
 *   .input("text", { type: "string" })
 *   .state("notes", { reducer: "append" })
 *   .step("count", { run: (ctx) => ctx.inputs.text.length, writes: { notes: (s) => s.output?.object } })
 *   .build();
 * ```
 *
 * Each call returns a builder whose types know the inputs, state channels and step outputs so
 * far, so `ctx.inputs.text` and `ctx.steps.count?.output` are typed in later steps.
 */
export class WorkflowBuilder<
  Inputs extends Record<string, unknown> = Record<never, never>,
  State extends Record<string, unknown> = Record<never, never>,
  Outputs extends Record<string, unknown> = Record<never, never>,
> {
  private readonly inputs: InputSpec[] = [];
  private readonly channels: StateChannel[] = [];
  private readonly steps: StepDefinition[] = [];
  private loopSpec: WorkflowDefinition["loop"];
  private settings: Pick<
    WorkflowDefinition,
    "concurrency" | "budgetUsd" | "deadlineMs" | "description"
  > = {};

  private readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  input<Name extends string, Type extends InputType>(
    name: Name,
    options: InputOptions<Type>,
  ): WorkflowBuilder<Inputs & Record<Name, InputTypes[Type]>, State, Outputs> {
    this.inputs.push({ name, ...options });
    return this as never;
  }

  state<Name extends string, Value = unknown>(
    name: Name,
    options: StateOptions<Value> = {},
  ): WorkflowBuilder<Inputs, State & Record<Name, Value>, Outputs> {
    const reducer = options.reducer ?? "replace";
    this.channels.push({
      name,
      reducer:
        typeof reducer === "function"
          ? { name: reducer.name || "custom", reduce: reducer, merging: options.merging ?? false }
          : reducer,
      scope: options.scope ?? "run",
      ...(options.initial === undefined ? {} : { initial: options.initial }),
    });
    return this as never;
  }

  /** A code step: `run` gets the typed context; its return value is the step's output. */
  step<Id extends string, Output>(
    id: Id,
    options: CodeStepOptions<Inputs, State, Outputs, Output>,
  ): WorkflowBuilder<Inputs, State, Outputs & Record<Id, Output>> {
    this.steps.push({
      ...this.base(id, "code", options),
      kind: "code",
      run: options.run as (context: never) => unknown,
      ...(options.output ? { output: options.output as ZodType } : {}),
    });
    return this as never;
  }

  prompt<Id extends string>(
    id: Id,
    options: PromptStepOptions,
  ): WorkflowBuilder<Inputs, State, Outputs & Record<Id, PromptOutput>> {
    this.steps.push({
      ...this.base(id, "prompt", options),
      kind: "prompt",
      model: options.model,
      prompt: functionTemplate(options.prompt),
      ...(options.system === undefined ? {} : { system: functionTemplate(options.system) }),
      ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
      ...(options.schema === undefined ? {} : { schema: options.schema }),
    });
    return this as never;
  }

  fanout<Id extends string>(
    id: Id,
    options: FanoutStepOptions,
  ): WorkflowBuilder<Inputs, State, Outputs & Record<Id, unknown>> {
    this.steps.push({
      ...this.base(id, "fanout", options),
      kind: "fanout",
      models: options.models,
      prompt: functionTemplate(options.prompt),
      ...(options.system === undefined ? {} : { system: functionTemplate(options.system) }),
      ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
      minSuccesses: options.minSuccesses ?? 1,
    });
    return this as never;
  }

  approval<Id extends string>(
    id: Id,
    options: ApprovalStepOptions,
  ): WorkflowBuilder<Inputs, State, Outputs & Record<Id, unknown>> {
    this.steps.push({
      ...this.base(id, "approval", options),
      kind: "approval",
      title: functionTemplate(options.title),
      prompt: functionTemplate(options.prompt),
      ...(options.data === undefined ? {} : { data: functionTemplate(options.data) }),
      ...(options.approvalTimeoutMs === undefined
        ? {}
        : { approvalTimeoutMs: options.approvalTimeoutMs }),
    });
    return this as never;
  }

  command<Id extends string>(
    id: Id,
    options: CommandStepOptions,
  ): WorkflowBuilder<Inputs, State, Outputs & Record<Id, unknown>> {
    this.steps.push({
      ...this.base(id, "command", options),
      kind: "command",
      argv: options.argv.map(functionTemplate),
      ...(options.cwd === undefined ? {} : { cwd: functionTemplate(options.cwd) }),
      ...(options.env === undefined
        ? {}
        : {
            env: Object.fromEntries(
              Object.entries(options.env).map(([key, value]) => [key, functionTemplate(value)]),
            ),
          }),
    });
    return this as never;
  }

  subworkflow<Id extends string>(
    id: Id,
    options: SubWorkflowStepOptions,
  ): WorkflowBuilder<Inputs, State, Outputs & Record<Id, unknown>> {
    const definition = "build" in options.workflow ? options.workflow.build() : options.workflow;
    this.steps.push({
      ...this.base(id, "workflow", options),
      kind: "workflow",
      workflow: definition,
      inputs: Object.fromEntries(
        Object.entries(options.inputs ?? {}).map(([key, value]) => [key, functionTemplate(value)]),
      ),
    });
    return this as never;
  }

  loop(options: LoopOptions): this {
    this.loopSpec = {
      maxIterations: options.maxIterations,
      ...(options.until ? { until: functionExpression(options.until) } : {}),
      ...(options.score ? { score: functionExpression(options.score) } : {}),
      ...(options.noImprovement === undefined ? {} : { noImprovement: options.noImprovement }),
    };
    return this;
  }

  /** Run-wide settings: concurrency, budgetUsd, deadlineMs, description. */
  options(
    settings: Pick<WorkflowDefinition, "concurrency" | "budgetUsd" | "deadlineMs" | "description">,
  ): this {
    this.settings = { ...this.settings, ...settings };
    return this;
  }

  /** The checked definition; throws WorkflowError (workflow.invalid) listing every problem. */
  build(): WorkflowDefinition {
    const definition: WorkflowDefinition = {
      name: this.name,
      inputs: [...this.inputs],
      state: [...this.channels],
      steps: [...this.steps],
      ...(this.loopSpec ? { loop: this.loopSpec } : {}),
      ...this.settings,
      source: `builder:${this.name}`,
    };
    checkDefinition(definition);
    return definition;
  }

  private base(id: string, kind: StepKind, options: CommonStepOptions): StepBase {
    return {
      id,
      kind,
      needs: [...(options.needs ?? [])],
      ...(options.when ? { when: functionExpression(options.when) } : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      retries: options.retries ?? 0,
      onFailure: failurePolicy(options.onFailure),
      onExhausted: options.onExhausted ?? "fail",
      writes: Object.fromEntries(
        Object.entries(options.writes ?? {}).map(([channel, write]) => [
          channel,
          functionTemplate(write),
        ]),
      ),
      ...(options.estimateMs === undefined ? {} : { estimateMs: options.estimateMs }),
      path: `steps.${id}`,
    };
  }
}

function failurePolicy(option: CommonStepOptions["onFailure"]): FailurePolicy {
  if (option === undefined || option === "fail") return { type: "fail" };
  if (option === "continue") return { type: "continue" };
  return { type: "fallback", step: option.fallback };
}

/** Starts a workflow definition in TypeScript. */
export function workflow(name: string): WorkflowBuilder {
  return new WorkflowBuilder(name);
}
