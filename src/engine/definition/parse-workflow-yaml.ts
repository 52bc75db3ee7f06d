import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import {
  collectSyntaxIssues,
  describeFound,
  type IssueDraft,
  type SourcePosition,
  toConfigIssue,
} from "../../config/index.js";
import { WorkflowFileError } from "./workflow-file-error.js";

/** A problem whose position is known already (the key path alone would find the first key). */
export interface LocatedDraft {
  draft: IssueDraft;
  position: SourcePosition;
}

/** A workflow file as parsed: plain data plus the document that knows the positions. */
export interface ParsedWorkflowYaml {
  data: Record<string, unknown>;
  document: Document;
  lineCounter: LineCounter;
  /** Keys given twice in one mapping (the last one wins in `data`), at the repeated key. */
  duplicates: LocatedDraft[];
}

const MINIMAL_WORKFLOW = 'name: hello\nsteps:\n  greet: { prompt: "Say hello", model: sim }';

/**
 * YAML text → mapping, or a WorkflowFileError for syntax errors (each with its position), an
 * empty file or a top level that is not a mapping. Duplicate keys are collected, not thrown,
 * so they are reported with the other problems: a duplicate step id is a mistake worth naming.
 */
export function parseWorkflowYaml(text: string, file: string): ParsedWorkflowYaml {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    merge: true,
    uniqueKeys: false,
  });
  const syntaxIssues = collectSyntaxIssues(document, lineCounter, text);
  if (syntaxIssues.length > 0) {
    throw new WorkflowFileError({
      code: "workflow.syntax",
      file,
      issues: syntaxIssues.map((issue) => ({ ...issue, file })),
      hint: "Fix the YAML syntax at the positions shown; indentation must use spaces.",
    });
  }
  if (document.contents === null) {
    throw new WorkflowFileError({
      code: "workflow.empty",
      file,
      issues: [
        {
          ...toConfigIssue(
            {
              path: [],
              summary: "the file is empty",
              expected: "a workflow with `name:` and `steps:`",
            },
            { line: 1, column: 1 },
          ),
          file,
        },
      ],
      hint: `A workflow file looks like:\n${MINIMAL_WORKFLOW}`,
    });
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const summary = error instanceof Error ? error.message : String(error);
    throw new WorkflowFileError({
      code: "workflow.syntax",
      file,
      issues: [{ ...toConfigIssue({ path: [], summary }, { line: 1, column: 1 }), file }],
      cause: error,
    });
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    const { line, col } = lineCounter.linePos(document.contents.range?.[0] ?? 0);
    throw new WorkflowFileError({
      file,
      issues: [
        {
          ...toConfigIssue(
            {
              path: [],
              summary: `the top level is ${describeFound(data)}`,
              expected: "a mapping with `name:` and `steps:`",
            },
            { line, column: col },
          ),
          file,
        },
      ],
      hint: `A workflow file looks like:\n${MINIMAL_WORKFLOW}`,
    });
  }
  return {
    data: data as Record<string, unknown>,
    document,
    lineCounter,
    duplicates: duplicateKeys(document, lineCounter),
  };
}

/** Keys given twice in one mapping, anywhere in the document: one walk carrying the key path. */
function duplicateKeys(document: Document, lineCounter: LineCounter): LocatedDraft[] {
  const drafts: LocatedDraft[] = [];
  const positionOf = (node: unknown): SourcePosition => {
    const offset = isScalar(node) ? (node.range?.[0] ?? 0) : 0;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const walk = (node: unknown, keyPath: readonly (string | number)[]): void => {
    if (isSeq(node)) {
      node.items.forEach((item, index) => {
        walk(item, [...keyPath, index]);
      });
      return;
    }
    if (!isMap(node)) return;
    const firstLine = new Map<string, number>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      walk(pair.value, [...keyPath, key]);
      const position = positionOf(pair.key);
      const first = firstLine.get(key);
      if (first === undefined) {
        firstLine.set(key, position.line);
        continue;
      }
      const isStep = keyPath.length === 1 && keyPath[0] === "steps";
      drafts.push({
        draft: {
          path: [...keyPath, key],
          target: "key",
          summary: `${isStep ? "duplicate step id" : "duplicate key"} "${key}" (first at line ${first})`,
          expected: isStep ? "a unique id per step: rename one of them" : "each key once",
        },
        position,
      });
    }
  };
  walk(document.contents, []);
  return drafts;
}
