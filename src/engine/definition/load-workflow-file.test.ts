import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EvaluationScope } from "../workflow-definition.js";
import { loadWorkflowFile, parseWorkflowText } from "./load-workflow-file.js";
import { WorkflowFileError } from "./workflow-file-error.js";

const empty: EvaluationScope = { inputs: {}, state: {}, steps: {}, iteration: 1 };

function problems(text: string): string[] {
  try {
    parseWorkflowText(text, { models: ["sim", "gpt"], file: "flow.yaml" });
  } catch (error) {
    if (WorkflowFileError.isInstance(error)) return error.issues.map((issue) => issue.message);
    throw error;
  }
  return [];
}

describe("parseWorkflowText", () => {
  it("compiles every step kind, with the defaults of the contract", () => {
    const definition = parseWorkflowText(
      [
        "name: kinds",
        "inputs: { topic: string }",
        "state: { notes: append }",
        "steps:",
        '  ask: { prompt: "About {{ inputs.topic }}", model: sim, system: "Be brief", maxTokens: 200 }',
        '  panel: { fanout: [sim, gpt], prompt: "{{ steps.ask.text }}", needs: ask, minSuccesses: 2 }',
        '  gate: { approval: { title: "Go?", data: "{{ steps.panel.text }}", timeoutMs: 60000 }, needs: [panel] }',
        '  save: { command: [echo, "{{ inputs.topic }}", 3], cwd: /tmp, env: { MODE: fast }, needs: [gate],',
        '          writes: { notes: "{{ output.text }}" }, onFailure: continue, retries: 1, timeoutMs: 5000 }',
      ].join("\n"),
      { file: "flow.yaml" },
    );
    const [ask, panel, gate, save] = definition.steps;
    expect(ask).toMatchObject({
      id: "ask",
      kind: "prompt",
      model: "sim",
      needs: [],
      retries: 0,
      onFailure: { type: "fail" },
      onExhausted: "fail",
      maxTokens: 200,
      path: "steps.ask",
    });
    expect(panel).toMatchObject({
      kind: "fanout",
      models: ["sim", "gpt"],
      minSuccesses: 2,
      needs: ["ask"],
    });
    expect(gate).toMatchObject({ kind: "approval", approvalTimeoutMs: 60000 });
    expect(save).toMatchObject({
      kind: "command",
      retries: 1,
      timeoutMs: 5000,
      onFailure: { type: "continue" },
    });
    const scope = { ...empty, inputs: { topic: "owls" } };
    expect(save?.kind === "command" && save.argv.map((part) => part.render(scope))).toEqual([
      "echo",
      "owls",
      "3",
    ]);
    expect(
      save?.writes.notes?.resolve({ ...scope, output: { status: "succeeded", text: "done" } }),
    ).toBe("done");
    expect(definition.source).toBe("flow.yaml");
    expect(definition.state).toEqual([{ name: "notes", reducer: "append", scope: "run" }]);
  });

  it("lets steps in sequence share a replace channel, and parallel steps a merging one", () => {
    expect(
      problems(
        [
          "name: ok",
          "state: { best: replace, all: append }",
          "steps:",
          '  a: { prompt: "a", model: sim, writes: { best: "{{ output.text }}", all: "{{ output.text }}" } }',
          '  b: { prompt: "b", model: sim, writes: { all: "{{ output.text }}" } }',
          '  c: { prompt: "c", model: sim, needs: [a], writes: { best: "{{ output.text }}" } }',
        ].join("\n"),
      ),
    ).toEqual([]);
  });

  it("accepts a fallback that needs the step it replaces, and no step that waits on it", () => {
    expect(
      problems(
        [
          "name: ok",
          "steps:",
          '  draft: { prompt: "a", model: sim, onFailure: simpler }',
          '  simpler: { prompt: "b", model: sim, needs: [draft] }',
          '  review: { prompt: "c", model: sim, needs: [draft] }',
        ].join("\n"),
      ),
    ).toEqual([]);
  });

  it("checks a structured output against its short schema", () => {
    const definition = parseWorkflowText(
      [
        "name: schema",
        "steps:",
        '  rate: { prompt: "Rate", model: sim, schema: { score: number, tags: "string[]", "note?": string, detail: { line: integer } } }',
      ].join("\n"),
    );
    const step = definition.steps[0];
    const schema = step?.kind === "prompt" ? step.schema : undefined;
    expect(schema?.safeParse({ score: 1, tags: ["a"], detail: { line: 3 } }).success).toBe(true);
    expect(schema?.safeParse({ score: "1", tags: [], detail: { line: 3 } }).success).toBe(false);
    expect(
      problems('name: s\nsteps:\n  rate: { prompt: "x", model: sim, schema: { score: nubmer } }'),
    ).toEqual([
      'found "nubmer", expected a type, one of string, number, integer, boolean, object, array, string[], number[], integer[], boolean[], object[], array[], or a mapping of fields (did you mean "number"?)',
    ]);
  });

  it("reports code steps as TypeScript only, and two kinds in one step", () => {
    expect(
      problems(
        'name: c\nsteps:\n  a: { code: "x" }\n  b: { command: [ls], approval: { title: t } }',
      ),
    ).toEqual([
      'code steps are TypeScript only, expected a workflow built with workflow("name").step(id, { run }) from "orkestra"',
      "a step has one kind, this one has approval and command, expected one of them: split it into two steps",
    ]);
  });

  it("checks an input's default against its type", () => {
    expect(
      problems(
        'name: d\ninputs:\n  rounds: { type: integer, default: "two" }\nsteps:\n  a: { prompt: "x", model: sim }',
      ),
    ).toEqual(['found a string "two", expected a whole number, the input\'s type']);
  });

  it("asks for a score when the loop stops on no improvement", () => {
    expect(
      problems(
        'name: l\nsteps:\n  a: { prompt: "x", model: sim }\nloop: { maxIterations: 3, noImprovement: 2 }',
      ),
    ).toEqual([
      'noImprovement needs a score to compare, expected a `score:` expression as well, such as score: "state.score"',
    ]);
  });
});

describe("loadWorkflowFile with sub-workflows", () => {
  const directories: string[] = [];
  afterEach(async () => {
    await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true })));
  });

  it("loads a sub-workflow relative to the file and checks the inputs given to it", async () => {
    const directory = await mkdtemp(join(tmpdir(), "orkestra-workflows-"));
    directories.push(directory);
    await writeFile(
      join(directory, "summary.yaml"),
      'name: summary\ninputs: { text: string, words: { type: integer, default: 50 } }\nsteps:\n  sum: { prompt: "{{ inputs.text }}", model: sim }\n',
    );
    await writeFile(
      join(directory, "main.yaml"),
      'name: main\nsteps:\n  fetch: { command: [cat, notes.txt] }\n  short: { workflow: ./summary.yaml, needs: [fetch], inputs: { text: "{{ steps.fetch.text }}" } }\n',
    );
    const definition = await loadWorkflowFile(join(directory, "main.yaml"), { models: ["sim"] });
    const short = definition.steps[1];
    expect(short?.kind === "workflow" && short.workflow.name).toBe("summary");
    expect(short?.kind === "workflow" && Object.keys(short.inputs)).toEqual(["text"]);

    await writeFile(
      join(directory, "wrong.yaml"),
      "name: wrong\nsteps:\n  short: { workflow: ./summary.yaml, inputs: { txet: hello } }\n",
    );
    const error = await loadWorkflowFile("wrong.yaml", { models: ["sim"], cwd: directory }).catch(
      (caught: unknown) => caught,
    );
    expect(WorkflowFileError.isInstance(error) && error.message).toBe(
      [
        'wrong.yaml:3:46 steps.short.inputs: missing input "text" of summary, expected a value for it: inputs: { text: … }',
        'wrong.yaml:3:48 steps.short.inputs.txet: summary has no input "txet", expected one of text, words (did you mean "text"?)',
      ].join("\n"),
    );
  });
});
