import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  loadWorkflowFile,
  resolveInputs,
  WorkflowFileError,
  WorkflowInputError,
} from "../../src/engine/index.js";

const badDir = fileURLToPath(new URL("./fixtures/bad/", import.meta.url));
const fixturesDir = fileURLToPath(new URL("./fixtures/", import.meta.url));

/** Loads a broken fixture and gives its WorkflowFileError (failing the test if it loads). */
async function problemsOf(file: string): Promise<WorkflowFileError> {
  try {
    await loadWorkflowFile(file, { models: ["sim"], cwd: badDir });
  } catch (error) {
    if (WorkflowFileError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`${file} loaded without problems`);
}

describe("broken workflow files: one message per problem with file, line, key path and a fix", () => {
  it.each([
    [
      "a cycle, as its path",
      "cycle.yaml",
      "cycle.yaml:3:43 steps.s1.needs: cycle: s1 → s6 → s1, expected steps that do not need each other in a circle: remove one of these needs (use `loop:` to repeat steps)",
    ],
    [
      "an unknown need",
      "unknown-need.yaml",
      'unknown-need.yaml:4:51 steps.review.needs[0]: unknown step "drfat" in needs, expected a step of this workflow, one of draft, review (did you mean "draft"?)',
    ],
    [
      "a duplicate step id, at the second one",
      "duplicate-id.yaml",
      'duplicate-id.yaml:5:3 steps.draft: duplicate step id "draft" (first at line 3), expected a unique id per step: rename one of them',
    ],
    [
      "unknown step kinds, with the closest kind",
      "unknown-step-kind.yaml",
      [
        'unknown-step-kind.yaml:4:5 steps.fetch.shell: unknown step kind "shell", expected one of prompt, fanout, approval, command, vote, workflow',
        'unknown-step-kind.yaml:6:5 steps.draft.promt: unknown step kind "promt", expected one of prompt, fanout, approval, command, vote, workflow (did you mean "prompt"?)',
      ].join("\n"),
    ],
    [
      "a template typo",
      "template-typo.yaml",
      'template-typo.yaml:8:13 steps.synthesis.prompt: steps.pacnig is not a step in {{ steps.pacnig.text }} (did you mean "pacing"?)',
    ],
    [
      "a template reading a step that is not upstream",
      "not-upstream.yaml",
      "not-upstream.yaml:8:13 steps.synthesis.prompt: steps.pacing is not upstream of synthesis in {{ steps.pacing.text }}, expected pacing in the needs of synthesis (directly or through another step), so it has ended first",
    ],
    [
      "parallel writes to a replace channel",
      "conflicting-writes.yaml",
      "conflicting-writes.yaml:6:59 steps.second.writes.verdict: first and second can run at the same time and both write state.verdict, whose reducer replace keeps one write only, expected a merging reducer for verdict (append, merge, sum, max, min), or second needing first",
    ],
    [
      "a step reading state that a concurrent step writes",
      "concurrent-read.yaml",
      "concurrent-read.yaml:6:49 steps.polish.when: reads state.score, which rate writes and can run at the same time, so the value read would depend on timing, expected rate in the needs of polish, or polish in the needs of rate",
    ],
    [
      "a bad CEL expression",
      "bad-cel.yaml",
      "bad-cel.yaml:6:64 steps.polish.when: invalid CEL at character 15: unexpected token: LT, expected a CEL expression such as state.score >= 0.8 && iteration < 3",
    ],
    [
      "an unknown model alias",
      "unknown-model.yaml",
      'unknown-model.yaml:3:36 steps.draft.model: unknown model alias "smi", expected a model or fallback chain of the configuration, one of sim (did you mean "sim"?)',
    ],
    [
      "a command that is not an array",
      "command-not-array.yaml",
      'command-not-array.yaml:4:14 steps.commits.command: found a string "git log --oneline -n 20", expected a list of arguments, run without a shell (did you mean "[git, log, --oneline, -n, 20]"?)',
    ],
    [
      "a negative timeout",
      "negative-timeout.yaml",
      "negative-timeout.yaml:6:16 steps.draft.timeoutMs: found -5, expected a whole number >= 1",
    ],
    [
      "a YAML syntax error",
      "yaml-syntax.yaml",
      "yaml-syntax.yaml:4:3: flow map in block collection must be sufficiently indented and end with a }",
    ],
    [
      "an empty file",
      "empty.yaml",
      "empty.yaml:1:1: the file is empty, expected a workflow with `name:` and `steps:`",
    ],
    [
      "a directory, with the workflow inside it",
      "a-directory",
      'a-directory: this is a directory, not a workflow file (did you mean "a-directory/inside.yaml"?)',
    ],
    [
      "an unknown state key in writes",
      "unknown-state-key.yaml",
      'unknown-state-key.yaml:5:76 steps.rate.writes.scroe: unknown state key "scroe", expected one of score (did you mean "score"?)',
    ],
    [
      "unreachable steps: a fallback that waits on its own dependents, a when that is always false",
      "unreachable.yaml",
      [
        "unreachable.yaml:3:52 steps.draft.onFailure: the fallback step rescue is unreachable: it needs review, which waits for draft, the step it stands in for, expected a fallback that does not depend on what comes after draft",
        "unreachable.yaml:6:47 steps.never.when: the step is unreachable: its `when` is always false, expected a condition that reads inputs, state or steps, or remove the step",
      ].join("\n"),
    ],
    [
      "onFailure naming an unknown step",
      "unknown-fallback.yaml",
      [
        'unknown-fallback.yaml:3:52 steps.draft.onFailure: unknown step "contineu", expected fail, continue, or the id of a fallback step (did you mean "continue"?)',
        'unknown-fallback.yaml:4:54 steps.review.onFailure: unknown step "drfat", expected fail, continue, or the id of a fallback step (did you mean "draft"?)',
      ].join("\n"),
    ],
    [
      "unknown keys, with did-you-mean",
      "unknown-key.yaml",
      [
        'unknown-key.yaml:2:1 stpes: unknown key "stpes", expected one of $schema, name, description, inputs, state, steps, loop, concurrency, budgetUsd, deadlineMs (did you mean "steps"?)',
        'unknown-key.yaml:5:41 steps.draft.timeoutMS: unknown key "timeoutMS", expected one of description, needs, when, timeoutMs, retries, onFailure, onExhausted, writes, estimateMs, prompt, system, maxTokens, model, schema (did you mean "timeoutMs"?)',
      ].join("\n"),
    ],
    [
      "a vote step with the keys of other kinds",
      "vote-step.yaml",
      [
        "vote-step.yaml:3:13 steps.decide.vote.question: missing required key `question`, expected a string",
        "vote-step.yaml:3:13 steps.decide.vote.members: missing required key `members`, expected a list",
        'vote-step.yaml:3:21 steps.decide.vote.models: unknown key "models", expected one of question, options, members, method, weights, quorum, threshold, rounds, chair, tieBreak, seed, budgetUsd, free, maxTokens',
        'vote-step.yaml:3:38 steps.decide.prompt: unknown key "prompt", expected one of description, needs, when, timeoutMs, retries, onFailure, onExhausted, writes, estimateMs, vote',
      ].join("\n"),
    ],
    [
      "a recursive include",
      "recursive-a.yaml",
      [
        "recursive-a.yaml:3:22 steps.inner.workflow: the sub-workflow ./recursive-b.yaml has 1 problem (listed with its file name)",
        "recursive-b.yaml:3:21 steps.back.workflow: recursive include: recursive-a.yaml → recursive-b.yaml → recursive-a.yaml",
      ].join("\n"),
    ],
    [
      "problems inside a sub-workflow, under its own file name, and a missing one",
      "sub-with-problem.yaml",
      [
        "sub-with-problem.yaml:3:22 steps.inner.workflow: the sub-workflow ./template-typo.yaml has 1 problem (listed with its file name)",
        "sub-with-problem.yaml:4:24 steps.missing.workflow: no-such-file.yaml: the workflow file does not exist",
        'template-typo.yaml:8:13 steps.synthesis.prompt: steps.pacnig is not a step in {{ steps.pacnig.text }} (did you mean "pacing"?)',
      ].join("\n"),
    ],
    [
      "every problem of a file at once, in reading order",
      "many-problems.yaml",
      [
        'many-problems.yaml:7:24 steps.structure.prompt: inputs.manuscrpit is not an input in {{ inputs.manuscrpit }} (did you mean "manuscript"?)',
        "many-problems.yaml:7:81 steps.structure.timeoutMs: found 0, expected a whole number >= 1",
        'many-problems.yaml:8:35 steps.synthesis.needs[1]: unknown step "pacing" in needs, expected a step of this workflow, one of structure, synthesis',
        'many-problems.yaml:8:64 steps.synthesis.model: unknown model alias "gtp", expected a model or fallback chain of the configuration, one of sim',
        'many-problems.yaml:9:16 loop.until: state.scor is not a state key (did you mean "score"?)',
      ].join("\n"),
    ],
  ])("reports %s", async (_kind, file, expected) => {
    const error = await problemsOf(file);
    expect(error.message).toBe(expected);
    expect(error.code).toMatch(/^workflow\./);
  });

  it("gives each problem as data too: file, line, column, key path and suggestion", async () => {
    const error = await problemsOf("template-typo.yaml");
    expect(error.code).toBe("workflow.invalid");
    expect(error.issues).toEqual([
      expect.objectContaining({
        file: "template-typo.yaml",
        line: 8,
        column: 13,
        keyPath: "steps.synthesis.prompt",
        path: ["steps", "synthesis", "prompt"],
        suggestion: "pacing",
      }),
    ]);
  });

  it("names a missing file and the closest file next to it", async () => {
    const error = await problemsOf("cycel.yaml");
    expect(error.code).toBe("workflow.not_found");
    expect(error.message).toBe(
      'cycel.yaml: the workflow file does not exist (did you mean "cycle.yaml"?)',
    );
  });
});

describe("run-time inputs (resolveInputs)", () => {
  async function inputsWorkflow() {
    return loadWorkflowFile("inputs.yaml", { models: ["sim"], cwd: fixturesDir });
  }

  function inputProblems(run: () => unknown): WorkflowInputError {
    try {
      run();
    } catch (error) {
      if (WorkflowInputError.isInstance(error)) return error;
      throw error;
    }
    throw new Error("the inputs were accepted");
  }

  it("converts --input strings to the declared types and fills in defaults", async () => {
    const definition = await inputsWorkflow();
    expect(
      resolveInputs(definition, { manuscript: "Once upon a time", strict: "true", rounds: "3" }),
    ).toEqual({ manuscript: "Once upon a time", strict: true, rounds: 3, tags: [] });
    expect(resolveInputs(definition, { manuscript: "x", strict: false, tags: '["a"]' })).toEqual({
      manuscript: "x",
      strict: false,
      rounds: 2,
      tags: ["a"],
    });
  });

  it("reports a missing required input, a wrong type and an unknown name together", async () => {
    const definition = await inputsWorkflow();
    const error = inputProblems(() =>
      resolveInputs(definition, { manuscrpt: "x", rounds: "2.5", tags: "a,b" }),
    );
    expect(error.code).toBe("workflow.input");
    expect(error.message).toBe(
      [
        'inputs.yaml inputs.manuscrpt: unknown input, expected one of manuscript, rounds, strict, tags (did you mean "manuscript"?)',
        "inputs.yaml inputs.manuscript: missing required input (string: the text to review); give it with --input manuscript=…",
        'inputs.yaml inputs.rounds: found "2.5", expected a whole number',
        "inputs.yaml inputs.strict: missing required input (boolean); give it with --input strict=…",
        'inputs.yaml inputs.tags: found "a,b", expected an array, such as ["a", "b"] written as JSON',
      ].join("\n"),
    );
    expect(error.issues.map((issue) => issue.input)).toEqual([
      "manuscrpt",
      "manuscript",
      "rounds",
      "strict",
      "tags",
    ]);
  });

  it("rejects a value of the wrong type from an input file", async () => {
    const definition = await inputsWorkflow();
    const error = inputProblems(() =>
      resolveInputs(definition, { manuscript: 42, strict: "yes", rounds: 1 }),
    );
    expect(error.message).toBe(
      [
        "inputs.yaml inputs.manuscript: found a number 42, expected a string",
        'inputs.yaml inputs.strict: found "yes", expected true or false',
      ].join("\n"),
    );
  });
});
