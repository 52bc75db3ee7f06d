import { z } from "zod";
import { VOTING_METHODS } from "../../consensus/index.js";

export const INPUT_TYPES = ["string", "number", "integer", "boolean", "object", "array"] as const;
export const REDUCERS = ["replace", "append", "merge", "sum", "max", "min"] as const;

const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a name of letters, digits and _ (not starting with a digit)");
const positiveMs = z.number().int().min(1);
const literal = z.union([z.string(), z.number(), z.boolean()]);

const inputSchema = z.union([
  z.enum(INPUT_TYPES),
  z.strictObject({
    type: z.enum(INPUT_TYPES),
    description: z.string().optional(),
    default: z.unknown().optional(),
  }),
]);

const stateSchema = z.union([
  z.enum(REDUCERS),
  z.strictObject({
    reducer: z.enum(REDUCERS),
    /** `iteration`: reset at the start of each loop iteration. */
    scope: z.enum(["run", "iteration"]).optional(),
    initial: z.unknown().optional(),
  }),
]);

const loopSchema = z.strictObject({
  until: z.string().optional(),
  maxIterations: z.number().int().min(1).max(1000),
  noImprovement: z.number().int().min(1).optional(),
  score: z.string().optional(),
});

/**
 * The top level of a workflow file. Steps are mappings here; each is checked by the schema of
 * its kind (`stepSchemas`), found from its keys, so a message speaks of that kind's keys only.
 */
export const workflowFileSchema = z.strictObject({
  /** Editors' JSON Schema pointer; ignored. */
  $schema: z.string().optional(),
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "a name such as manuscript-review"),
  description: z.string().optional(),
  inputs: z.record(identifier, inputSchema).optional(),
  state: z.record(identifier, stateSchema).optional(),
  steps: z.record(identifier, z.record(z.string(), z.unknown())),
  loop: loopSchema.optional(),
  concurrency: z.number().int().min(1).max(1000).optional(),
  budgetUsd: z.number().positive().optional(),
  deadlineMs: positiveMs.optional(),
});

const commonStepKeys = {
  description: z.string().optional(),
  needs: z.union([identifier, z.array(identifier)]).optional(),
  when: z.string().optional(),
  timeoutMs: positiveMs.optional(),
  retries: z.number().int().min(0).max(10).optional(),
  /** `fail`, `continue`, or the id of a fallback step. */
  onFailure: z.string().min(1).optional(),
  onExhausted: z.enum(["fail", "pause"]).optional(),
  writes: z.record(z.string(), literal).optional(),
  estimateMs: z.number().int().min(0).optional(),
};

const modelText = {
  prompt: z.string(),
  system: z.string().optional(),
  maxTokens: z.number().int().min(1).optional(),
};

/** One strict schema per step kind a YAML file can use. */
export const stepSchemas = {
  prompt: z.strictObject({
    ...commonStepKeys,
    ...modelText,
    model: z.string().min(1),
    /** Structured output: `{ score: number, summary: string }`. */
    schema: z.record(z.string(), z.unknown()).optional(),
  }),
  fanout: z.strictObject({
    ...commonStepKeys,
    ...modelText,
    fanout: z.array(z.string().min(1)).min(1),
    minSuccesses: z.number().int().min(1).optional(),
  }),
  approval: z.strictObject({
    ...commonStepKeys,
    approval: z.strictObject({
      title: z.string().min(1),
      prompt: z.string().optional(),
      data: z.string().optional(),
      timeoutMs: positiveMs.optional(),
    }),
  }),
  command: z.strictObject({
    ...commonStepKeys,
    command: z.array(z.union([z.string(), z.number()])).min(1),
    cwd: z.string().optional(),
    env: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  }),
  vote: z.strictObject({
    ...commonStepKeys,
    vote: z.strictObject({
      question: z.string().min(1),
      /** A list of options (each may be a template), or one template giving the list. */
      options: z.union([z.array(z.union([z.string(), z.number()])).min(1), z.string()]).optional(),
      members: z.array(z.string().min(1)).min(1),
      method: z.enum(VOTING_METHODS as [string, ...string[]]).optional(),
      weights: z.record(z.string(), z.number().positive()).optional(),
      quorum: z.number().int().min(1).optional(),
      threshold: z.number().optional(),
      rounds: z.number().int().min(0).max(10).optional(),
      chair: z.string().min(1).optional(),
      tieBreak: z.enum(["chair", "first-ranked", "none"]).optional(),
      seed: z.number().int().optional(),
      budgetUsd: z.number().positive().optional(),
      free: z.boolean().optional(),
      maxTokens: z.number().int().min(1).optional(),
    }),
  }),
  workflow: z.strictObject({
    ...commonStepKeys,
    workflow: z.string().min(1),
    inputs: z.record(z.string(), literal).optional(),
  }),
} as const;

export type YamlStepKind = keyof typeof stepSchemas;
export type WorkflowFile = z.output<typeof workflowFileSchema>;
export type StepFile<Kind extends YamlStepKind> = z.output<(typeof stepSchemas)[Kind]>;

/** The keys every step kind accepts. */
export const COMMON_STEP_KEYS: readonly string[] = Object.keys(commonStepKeys);
