import {
  describeFound,
  draftsFromZodIssues,
  type IssueDraft,
  locateInDocument,
  sortIssues,
  toConfigIssue,
} from "../../config/index.js";
import type { StepDefinition, WorkflowDefinition } from "../workflow-definition.js";
import { buildStep } from "./build-step.js";
import { checkConcurrentReads, checkParallelWrites } from "./check-parallel-writes.js";
import { checkStepGraph, type StepOutline } from "./check-step-graph.js";
import { DefinitionCompiler } from "./definition-compiler.js";
import type { ParsedWorkflowYaml } from "./parse-workflow-yaml.js";
import {
  isMapping,
  mappingKeys,
  readChannels,
  readInputs,
  readLoop,
} from "./read-workflow-sections.js";
import type { ReferenceContext } from "./reference-context.js";
import { describeInputType, matchesInputType } from "./resolve-inputs.js";
import { stepKind } from "./step-kind.js";
import { stepDrafts, withoutFailingKeys } from "./step-schema-drafts.js";
import { WorkflowFileError } from "./workflow-file-error.js";
import { stepSchemas, workflowFileSchema } from "./workflow-file-schema.js";
import type { WorkflowIssue } from "./workflow-issue.js";

/** What a `workflow:` step's file gave: its definition, or the problems in it. */
export interface SubWorkflowResult {
  definition?: WorkflowDefinition;
  /** Problems inside the other file (they name that file). */
  issues: readonly WorkflowIssue[];
  /** A problem with the reference itself (missing file, recursive include), in words. */
  problem?: string;
}

export interface BuildWorkflowOptions {
  /** The file as shown in messages; also the definition's `source`. */
  file: string;
  /** Known model aliases and fallback chains; undefined: model names are not checked. */
  models?: readonly string[];
  loadSubWorkflow: (relativePath: string) => SubWorkflowResult;
}

/**
 * A parsed workflow file → a checked WorkflowDefinition, or a WorkflowFileError with every
 * problem of the file (and of the files it includes) at once.
 */
export function buildWorkflow(
  parsed: ParsedWorkflowYaml,
  options: BuildWorkflowOptions,
): WorkflowDefinition {
  const { data } = parsed;
  const drafts: IssueDraft[] = [];
  const foreignIssues: WorkflowIssue[] = [];
  const top = workflowFileSchema.safeParse(data);
  if (!top.success) {
    drafts.push(
      ...draftsFromZodIssues(top.error.issues, {
        schema: workflowFileSchema,
        data,
        interpolatedPaths: new Set(),
      }),
    );
  }
  const inputs = readInputs(top.success ? top.data : undefined);
  for (const input of inputs) {
    if (input.default === undefined || matchesInputType(input.default, input.type)) continue;
    drafts.push({
      path: ["inputs", input.name, "default"],
      found: describeFound(input.default),
      expected: `${describeInputType(input.type)}, the input's type`,
    });
  }
  const channels = readChannels(top.success ? top.data : undefined, data.state);
  const inputNames = new Set(mappingKeys(data.inputs));
  const stateNames = new Set(mappingKeys(data.state));
  const rawSteps = isMapping(data.steps) ? data.steps : {};
  if (isMapping(data.steps) && Object.keys(rawSteps).length === 0) {
    drafts.push({
      path: ["steps"],
      summary: "the workflow has no steps",
      expected: "at least one step",
    });
  }

  const outlines = Object.entries(rawSteps).map(([id, body]) => outlineOf(id, body));
  const stepGraph = checkStepGraph(outlines, drafts);
  checkParallelWrites(outlines, channels, stepGraph, drafts);

  const compiler = new DefinitionCompiler(
    new Set(inputs.filter((input) => input.type === "integer").map((input) => input.name)),
  );
  const objectFields = new Map(
    Object.entries(rawSteps).flatMap(([id, body]) => {
      const schema = isMapping(body) ? body.schema : undefined;
      return isMapping(schema)
        ? [[id, new Set(Object.keys(schema).map((key) => key.replace(/\?$/, "")))] as const]
        : [];
    }),
  );
  const stepIds = new Set(Object.keys(rawSteps));
  const workflowReferences: ReferenceContext = {
    inputs: inputNames,
    state: stateNames,
    steps: stepIds,
    allowOutput: false,
    objectFields,
  };

  const steps: StepDefinition[] = [];
  let complete = true;
  for (const [id, body] of Object.entries(rawSteps)) {
    if (!isMapping(body)) continue; // the top-level schema reported it
    const index = stepGraph.graph.indexOf.get(id) ?? -1;
    const found = stepKind(id, body);
    if ("problem" in found) {
      drafts.push(found.problem);
      complete = false;
      continue;
    }
    const schema = stepSchemas[found.kind];
    let checked = schema.safeParse(body);
    if (!checked.success) {
      drafts.push(...stepDrafts(id, body, checked.error.issues, schema));
      complete = false;
      // Check the rest of the step too, so its template typos are reported in the same run.
      checked = schema.safeParse(withoutFailingKeys(body, checked.error.issues));
      if (!checked.success) continue;
    }
    const step = buildStep(id, found.kind, checked.data, {
      compiler,
      references: {
        ...workflowReferences,
        stepId: id,
        isUpstream: (other) => {
          const otherIndex = stepGraph.graph.indexOf.get(other);
          return otherIndex !== undefined && stepGraph.ancestry.isAncestor(otherIndex, index);
        },
      },
      models: options.models,
      loadSubWorkflow: (relativePath, path) => {
        const result = options.loadSubWorkflow(relativePath);
        foreignIssues.push(...result.issues);
        if (result.problem !== undefined) drafts.push({ path, summary: result.problem });
        else if (result.definition === undefined) {
          drafts.push({
            path,
            summary: `the sub-workflow ${relativePath} has ${result.issues.length} problem${result.issues.length === 1 ? "" : "s"} (listed with its file name)`,
          });
        }
        return result.definition;
      },
    });
    if (step === undefined) complete = false;
    else steps.push(step);
  }

  checkConcurrentReads(outlines, compiler.stateReads, stepGraph, compiler.drafts);
  const loop = top.success ? readLoop(top.data, compiler, workflowReferences) : undefined;
  drafts.push(...compiler.drafts);

  const failed = drafts.length > 0 || parsed.duplicates.length > 0 || foreignIssues.length > 0;
  if (failed || !top.success || !complete) {
    const located = drafts.map((draft) =>
      toConfigIssue(
        draft,
        locateInDocument(parsed.document, parsed.lineCounter, draft.path, draft.target ?? "value"),
      ),
    );
    const duplicates = parsed.duplicates.map(({ draft, position }) =>
      toConfigIssue(draft, position),
    );
    const issues: WorkflowIssue[] = sortIssues([...located, ...duplicates]).map((issue) => ({
      ...issue,
      file: options.file,
    }));
    throw new WorkflowFileError({ file: options.file, issues: [...issues, ...foreignIssues] });
  }
  const file = top.data;
  return {
    name: file.name,
    ...(file.description === undefined ? {} : { description: file.description }),
    inputs,
    state: channels,
    steps,
    ...(loop === undefined ? {} : { loop }),
    ...(file.concurrency === undefined ? {} : { concurrency: file.concurrency }),
    ...(file.budgetUsd === undefined ? {} : { budgetUsd: file.budgetUsd }),
    ...(file.deadlineMs === undefined ? {} : { deadlineMs: file.deadlineMs }),
    source: options.file,
  };
}

function outlineOf(id: string, body: unknown): StepOutline {
  const mapping = isMapping(body) ? body : {};
  const needs = mapping.needs;
  const list = typeof needs === "string" ? [needs] : Array.isArray(needs) ? needs : [];
  return {
    id,
    needs: list.filter((need): need is string => typeof need === "string"),
    needsIsList: Array.isArray(needs),
    ...(typeof mapping.onFailure === "string" ? { onFailure: mapping.onFailure } : {}),
    writes: mappingKeys(mapping.writes),
  };
}
