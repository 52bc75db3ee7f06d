import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { type Document, LineCounter, parseDocument } from "yaml";
import {
  type ConfigIssue,
  collectSyntaxIssues,
  describeFound,
  draftsFromZodIssues,
  formatKeyPath,
  locateInDocument,
  type SourcePosition,
  toConfigIssue,
} from "../config/index.js";
import type { TaskSpec } from "../queue/tasks/task-types.js";
import { TaskFileError, type TaskFileIssue } from "./task-file-error.js";
import { type TaskSchemaContext, taskFileSchema, toTaskSpec } from "./task-spec-schema.js";

const EXAMPLE = `- key: design
  title: Design the parser
  capabilities: [design]
- title: Write the parser
  needs: [design]
  priority: 5`;

/** A tasks file, checked: the specs for `addTasks`, and where each entry sits in the file. */
export interface TaskFile {
  /** The file as shown in messages (relative to the working directory when inside it). */
  file: string;
  specs: TaskSpec[];
  /** Where entry `index` starts in the file. */
  positionOf(index: number): SourcePosition | undefined;
}

export interface ReadTaskFileOptions extends TaskSchemaContext {
  cwd: string;
  /** Anchors `runAt` durations. */
  now: number;
}

/**
 * Reads a YAML or JSON list of tasks (JSON is YAML) and checks every entry, or throws a
 * TaskFileError naming every problem with its line and entry.
 */
export async function readTaskFile(path: string, options: ReadTaskFileOptions): Promise<TaskFile> {
  const absolute = resolve(options.cwd, path);
  const inside = relative(options.cwd, absolute);
  const file = inside.startsWith("..") || isAbsolute(inside) ? absolute : inside;
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const missing = code === "ENOENT" || code === "ENOTDIR";
    const reason = missing
      ? "the file does not exist"
      : code === "EISDIR"
        ? "this is a directory, not a tasks file"
        : `the file cannot be read (${error instanceof Error ? error.message : String(error)})`;
    throw new TaskFileError({
      code: missing ? "task_file.not_found" : "task_file.unreadable",
      file,
      issues: [wholeFile(file, toConfigIssue({ path: [], summary: reason }, undefined))],
      hint: "Pass the path of a YAML or JSON file holding a list of tasks.",
      cause: error,
    });
  }

  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntax = collectSyntaxIssues(document, lineCounter, text);
  if (syntax.length > 0) {
    throw new TaskFileError({
      code: "task_file.syntax",
      file,
      issues: syntax.map((issue) => wholeFile(file, issue)),
      hint: "Fix the YAML (or JSON) syntax at the positions shown.",
    });
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const summary = error instanceof Error ? error.message : String(error);
    throw new TaskFileError({
      code: "task_file.syntax",
      file,
      issues: [wholeFile(file, toConfigIssue({ path: [], summary }, { line: 1, column: 1 }))],
      cause: error,
    });
  }
  if (!Array.isArray(data)) {
    const summary =
      document.contents === null ? "the file is empty" : `the top level is ${describeFound(data)}`;
    throw new TaskFileError({
      code: "task_file.invalid",
      file,
      issues: [
        wholeFile(
          file,
          toConfigIssue({ path: [], summary, expected: "a list of tasks" }, { line: 1, column: 1 }),
        ),
      ],
      hint: `A tasks file is a list of tasks, for example:\n${EXAMPLE}`,
    });
  }

  const schema = taskFileSchema(options);
  const checked = schema.safeParse(data);
  if (!checked.success) {
    const drafts = draftsFromZodIssues(checked.error.issues, {
      schema,
      data,
      interpolatedPaths: new Set(),
    });
    const issues = drafts.map((draft) => {
      const position = locateInDocument(document, lineCounter, draft.path, draft.target ?? "value");
      return inEntry(file, data, { ...toConfigIssue(draft, position) });
    });
    throw new TaskFileError({
      code: "task_file.invalid",
      file,
      issues: sortByLine(issues),
      hint: "Fix the entries listed; nothing was added. See `orkestra task add --help` for the keys.",
    });
  }
  return {
    file,
    specs: checked.data.map((entry) => toTaskSpec(entry, options.now)),
    positionOf: (index) => entryPosition(document, lineCounter, index),
  };
}

function entryPosition(
  document: Document,
  lineCounter: LineCounter,
  index: number,
): SourcePosition | undefined {
  return locateInDocument(document, lineCounter, [index], "value");
}

function wholeFile(file: string, issue: ConfigIssue): TaskFileIssue {
  return { ...issue, file, entry: null, key: null };
}

/** The issue with its entry (index and key) taken from the head of its path. */
function inEntry(file: string, data: readonly unknown[], issue: ConfigIssue): TaskFileIssue {
  const [head, ...rest] = issue.path;
  if (typeof head !== "number") return wholeFile(file, issue);
  const entry = data[head] as { key?: unknown } | undefined;
  const key = typeof entry?.key === "string" ? entry.key : null;
  return { ...issue, keyPath: formatKeyPath(rest), file, entry: head, key };
}

function sortByLine(issues: TaskFileIssue[]): TaskFileIssue[] {
  const rank = (issue: TaskFileIssue) =>
    (issue.line ?? Number.MAX_SAFE_INTEGER) * 100_000 + (issue.column ?? 0);
  return [...issues].sort((left, right) => rank(left) - rank(right));
}
