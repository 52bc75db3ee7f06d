import { didYouMean, type IssueDraft, oneOf } from "../../config/index.js";
import type {
  FailurePolicy,
  StepBase,
  StepDefinition,
  Template,
  VoteStep,
  WorkflowDefinition,
} from "../workflow-definition.js";
import type { DefinitionCompiler } from "./definition-compiler.js";
import { outputSchemaFromShorthand } from "./output-schema-shorthand.js";
import type { ReferenceContext } from "./reference-context.js";
import type { StepFile, YamlStepKind } from "./workflow-file-schema.js";

export interface StepBuildContext {
  compiler: DefinitionCompiler;
  /** What the step's templates and `when` may read. */
  references: ReferenceContext;
  /** Known model aliases and fallback chains; undefined: not checked. */
  models: readonly string[] | undefined;
  /** Loads a `workflow:` step's file (relative to this file); undefined when it has problems. */
  loadSubWorkflow: (
    relativePath: string,
    path: readonly (string | number)[],
  ) => WorkflowDefinition | undefined;
}

type AnyStepFile = StepFile<YamlStepKind>;

/** One validated step mapping → its definition, with every template and expression compiled. */
export function buildStep(
  id: string,
  kind: YamlStepKind,
  body: AnyStepFile,
  context: StepBuildContext,
): StepDefinition | undefined {
  const path = ["steps", id];
  const { compiler, references } = context;
  const text = (value: string | number | boolean, key: string): Template | undefined =>
    compiler.template(value, [...path, key], references);
  const base = buildBase(id, body, context);

  switch (kind) {
    case "prompt": {
      const step = body as StepFile<"prompt">;
      checkModel(step.model, [...path, "model"], context);
      const prompt = text(step.prompt, "prompt");
      const system = step.system === undefined ? undefined : text(step.system, "system");
      const output =
        step.schema === undefined
          ? undefined
          : outputSchemaFromShorthand(step.schema, [...path, "schema"], compiler.drafts);
      if (base === undefined || prompt === undefined) return undefined;
      return {
        ...base,
        kind: "prompt",
        model: step.model,
        prompt,
        ...(system === undefined ? {} : { system }),
        ...(step.maxTokens === undefined ? {} : { maxTokens: step.maxTokens }),
        ...(output === undefined ? {} : { schema: output.schema }),
      };
    }
    case "fanout": {
      const step = body as StepFile<"fanout">;
      step.fanout.forEach((model, index) => {
        checkModel(model, [...path, "fanout", index], context);
      });
      const minSuccesses = step.minSuccesses ?? 1;
      if (minSuccesses > step.fanout.length) {
        compiler.problem({
          path: [...path, "minSuccesses"],
          found: String(minSuccesses),
          expected: `at most the number of models (${step.fanout.length})`,
        });
      }
      const prompt = text(step.prompt, "prompt");
      const system = step.system === undefined ? undefined : text(step.system, "system");
      if (base === undefined || prompt === undefined) return undefined;
      return {
        ...base,
        kind: "fanout",
        models: step.fanout,
        prompt,
        minSuccesses,
        ...(system === undefined ? {} : { system }),
        ...(step.maxTokens === undefined ? {} : { maxTokens: step.maxTokens }),
      };
    }
    case "approval": {
      const { approval } = body as StepFile<"approval">;
      const at = (key: string) => [...path, "approval", key];
      const title = compiler.template(approval.title, at("title"), references);
      const prompt = compiler.template(approval.prompt ?? "", at("prompt"), references);
      const data =
        approval.data === undefined
          ? undefined
          : compiler.template(approval.data, at("data"), references);
      if (base === undefined || title === undefined || prompt === undefined) return undefined;
      return {
        ...base,
        kind: "approval",
        title,
        prompt,
        ...(data === undefined ? {} : { data }),
        ...(approval.timeoutMs === undefined ? {} : { approvalTimeoutMs: approval.timeoutMs }),
      };
    }
    case "command": {
      const step = body as StepFile<"command">;
      const argv = step.command.map((argument, index) =>
        compiler.template(String(argument), [...path, "command", index], references),
      );
      const cwd = step.cwd === undefined ? undefined : text(step.cwd, "cwd");
      const env: Record<string, Template> = {};
      for (const [name, value] of Object.entries(step.env ?? {})) {
        const template = compiler.template(String(value), [...path, "env", name], references);
        if (template !== undefined) env[name] = template;
      }
      if (base === undefined || argv.some((template) => template === undefined)) return undefined;
      return {
        ...base,
        kind: "command",
        argv: argv as Template[],
        ...(cwd === undefined ? {} : { cwd }),
        ...(step.env === undefined ? {} : { env }),
      };
    }
    case "vote": {
      const { vote } = body as StepFile<"vote">;
      const at = (...keys: (string | number)[]) => [...path, "vote", ...keys];
      vote.members.forEach((model, index) => {
        checkModel(model, at("members", index), context);
      });
      if (vote.chair !== undefined) checkModel(vote.chair, at("chair"), context);
      const question = compiler.template(vote.question, at("question"), references);
      const entries =
        vote.options === undefined
          ? []
          : typeof vote.options === "string"
            ? [vote.options]
            : vote.options;
      const options = entries.map((entry, index) =>
        compiler.template(
          String(entry),
          typeof vote.options === "string" ? at("options") : at("options", index),
          references,
        ),
      );
      if (
        base === undefined ||
        question === undefined ||
        options.some((option) => option === undefined)
      ) {
        return undefined;
      }
      const { question: _question, options: _options, members, method, ...settings } = vote;
      return {
        ...base,
        kind: "vote",
        question,
        options: options as Template[],
        members,
        method: (method ?? "plurality") as VoteStep["method"],
        ...(settings as Omit<
          VoteStep,
          keyof StepBase | "question" | "options" | "members" | "method"
        >),
      };
    }
    case "workflow": {
      const step = body as StepFile<"workflow">;
      const workflow = context.loadSubWorkflow(step.workflow, [...path, "workflow"]);
      const inputs: Record<string, Template> = {};
      for (const [name, value] of Object.entries(step.inputs ?? {})) {
        const template = compiler.template(value, [...path, "inputs", name], references);
        if (template !== undefined) inputs[name] = template;
      }
      if (workflow !== undefined) checkSubInputs(workflow, step.inputs ?? {}, path, compiler);
      if (base === undefined || workflow === undefined) return undefined;
      return { ...base, kind: "workflow", workflow, inputs };
    }
  }
}

/** The keys every kind shares; undefined when one of them has a problem. */
function buildBase(
  id: string,
  body: AnyStepFile,
  context: StepBuildContext,
): Omit<StepBase, "kind"> | undefined {
  const path = ["steps", id];
  const { compiler, references } = context;
  const before = compiler.drafts.length;
  let when: StepBase["when"];
  if (body.when !== undefined) {
    const compiled = compiler.condition(body.when, [...path, "when"], references);
    when = compiled?.expression;
    if (compiled?.constantValue === false) {
      compiler.problem({
        path: [...path, "when"],
        summary: "the step is unreachable: its `when` is always false",
        expected: "a condition that reads inputs, state or steps, or remove the step",
      });
    }
  }
  const writes: Record<string, Template> = {};
  const writeContext: ReferenceContext = { ...references, allowOutput: true };
  for (const [key, value] of Object.entries(body.writes ?? {})) {
    if (!references.state.has(key)) {
      const draft: IssueDraft = {
        path: [...path, "writes", key],
        target: "key",
        summary: `unknown state key "${key}"`,
        expected:
          references.state.size === 0
            ? "a key declared under `state:` (the workflow declares none)"
            : oneOf([...references.state]),
      };
      const suggestion = didYouMean(key, references.state);
      if (suggestion !== undefined) draft.suggestion = suggestion;
      compiler.problem(draft);
      continue;
    }
    const template = compiler.template(value, [...path, "writes", key], writeContext);
    if (template !== undefined) writes[key] = template;
  }
  if (compiler.drafts.length > before) return undefined;
  const needs =
    body.needs === undefined ? [] : typeof body.needs === "string" ? [body.needs] : body.needs;
  return {
    id,
    needs,
    ...(when === undefined ? {} : { when }),
    ...(body.timeoutMs === undefined ? {} : { timeoutMs: body.timeoutMs }),
    retries: body.retries ?? 0,
    onFailure: failurePolicy(body.onFailure),
    onExhausted: body.onExhausted ?? "fail",
    writes,
    ...(body.estimateMs === undefined ? {} : { estimateMs: body.estimateMs }),
    path: `steps.${id}`,
  };
}

export function failurePolicy(onFailure: string | undefined): FailurePolicy {
  if (onFailure === undefined || onFailure === "fail") return { type: "fail" };
  if (onFailure === "continue") return { type: "continue" };
  return { type: "fallback", step: onFailure };
}

function checkModel(
  alias: string,
  path: readonly (string | number)[],
  context: StepBuildContext,
): void {
  if (context.models === undefined || context.models.includes(alias)) return;
  const draft: IssueDraft = {
    path,
    summary: `unknown model alias "${alias}"`,
    expected:
      context.models.length === 0
        ? "a model configured in orkestra.yaml"
        : `a model or fallback chain of the configuration, ${oneOf(context.models)}`,
  };
  const suggestion = didYouMean(alias, context.models);
  if (suggestion !== undefined) draft.suggestion = suggestion;
  context.compiler.problem(draft);
}

function checkSubInputs(
  workflow: WorkflowDefinition,
  given: Readonly<Record<string, unknown>>,
  path: readonly (string | number)[],
  compiler: DefinitionCompiler,
): void {
  const declared = workflow.inputs.map((input) => input.name);
  for (const name of Object.keys(given)) {
    if (declared.includes(name)) continue;
    const draft: IssueDraft = {
      path: [...path, "inputs", name],
      target: "key",
      summary: `${workflow.name} has no input "${name}"`,
      expected: declared.length === 0 ? "no inputs" : oneOf(declared),
    };
    const suggestion = didYouMean(name, declared);
    if (suggestion !== undefined) draft.suggestion = suggestion;
    compiler.problem(draft);
  }
  for (const input of workflow.inputs) {
    if (input.default !== undefined || Object.hasOwn(given, input.name)) continue;
    compiler.problem({
      path: [...path, "inputs"],
      summary: `missing input "${input.name}" of ${workflow.name}`,
      expected: `a value for it: inputs: { ${input.name}: … }`,
    });
  }
}
