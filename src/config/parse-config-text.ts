import { type Document, isPair, isScalar, LineCounter, parseDocument, visit } from "yaml";
import { ConfigError } from "./config-error.js";
import type { ConfigIssue } from "./config-issue.js";
import { type IssueDraft, toConfigIssue } from "./issue-draft.js";
import { deepestNesting } from "./nesting-depth.js";
import { describeFound } from "./render-value.js";

/** The configuration file as parsed: plain data plus the document that knows the positions. */
export interface ParsedConfigText {
  data: Record<string, unknown>;
  document: Document;
  lineCounter: LineCounter;
}

export interface ConfigFileIdentity {
  /** Absolute path. */
  file: string;
  /** The path as shown in messages. */
  displayFile: string;
}

const MINIMAL_CONFIG = "models:\n  sim: { provider: simulated }";

/** Nesting levels a configuration may use; real files use under ten. */
export const MAX_CONFIG_NESTING = 64;

/** Keys that would change an object's prototype instead of naming a setting. */
const RESERVED_KEYS = new Set(["__proto__"]);

/**
 * Parses YAML text into a mapping, or throws a ConfigError for syntax errors (every one, with
 * line and column), an empty file, or a top level that is not a mapping.
 */
export function parseConfigText(text: string, identity: ConfigFileIdentity): ParsedConfigText {
  const lineCounter = new LineCounter();
  const nesting = deepestNesting(text, MAX_CONFIG_NESTING);
  if (nesting.depth > MAX_CONFIG_NESTING) {
    // Not parsed yet, so the line counter knows no lines: count them in the text.
    const before = text.slice(0, nesting.offset);
    const line = before.split("\n").length;
    const column = nesting.offset - before.lastIndexOf("\n");
    throw new ConfigError({
      code: "config.syntax",
      ...identity,
      issues: [
        toConfigIssue(
          { path: [], summary: `nesting too deep (limit ${MAX_CONFIG_NESTING} levels)` },
          { line, column },
        ),
      ],
      hint: "A configuration needs only a few levels; remove the deeply nested value.",
    });
  }
  // `merge: true` accepts `<<: *defaults`, the usual way to share settings between models.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, merge: true });
  const syntaxIssues = collectSyntaxIssues(document, lineCounter, text);
  if (syntaxIssues.length > 0) {
    throw new ConfigError({
      code: "config.syntax",
      ...identity,
      issues: syntaxIssues,
      hint: "Fix the YAML syntax at the positions shown; indentation must use spaces.",
    });
  }
  if (document.contents === null) {
    throw new ConfigError({
      code: "config.empty",
      ...identity,
      issues: [
        toConfigIssue(
          {
            path: [],
            summary: "the file is empty",
            expected: "a mapping of settings such as `models:`",
          },
          { line: 1, column: 1 },
        ),
      ],
      hint: `Delete the file to run on defaults, or start from:\n${MINIMAL_CONFIG}`,
    });
  }
  const reserved = reservedKeyIssues(document, lineCounter);
  if (reserved.length > 0) {
    throw new ConfigError({
      code: "config.invalid",
      ...identity,
      issues: reserved,
      hint: "Rename the key: __proto__ cannot name a model, a chain or a setting.",
    });
  }
  const data = toPlainData(document, identity);
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    const range = document.contents.range;
    const { line, col } = lineCounter.linePos(range?.[0] ?? 0);
    throw new ConfigError({
      code: "config.invalid",
      ...identity,
      issues: [
        toConfigIssue(
          {
            path: [],
            summary: `the top level is ${describeFound(data)}`,
            expected: "a mapping of settings such as `models:`",
          },
          { line, column: col },
        ),
      ],
      hint: `A configuration file is a mapping of keys, for example:\n${MINIMAL_CONFIG}`,
    });
  }
  return { data: data as Record<string, unknown>, document, lineCounter };
}

function toPlainData(document: Document, identity: ConfigFileIdentity): unknown {
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Alias expansion past the limit ("billion laughs"): refuse rather than exhaust memory.
    throw new ConfigError({
      code: "config.syntax",
      ...identity,
      issues: [
        toConfigIssue(
          { path: [], summary: lowerFirst(error instanceof Error ? error.message : String(error)) },
          undefined,
        ),
      ],
      cause: error,
    });
  }
}

/** Every YAML syntax problem with its position; also used for workflow files. */
export function collectSyntaxIssues(
  document: Document,
  lineCounter: LineCounter,
  text: string,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const reportedLines = new Set<number>();
  const add = (offset: number, message: string) => {
    const { line, col } = lineCounter.linePos(offset);
    // One mistake often derails the parser for the rest of its line; the first report is the
    // one that names it, the others are echoes.
    if (reportedLines.has(line)) return;
    reportedLines.add(line);
    const draft: IssueDraft = { path: [], summary: message };
    const lineText = text.slice(lineCounter.lineStarts[line - 1], lineCounter.lineStarts[line]);
    if (/\$\{/.test(lineText) && /[{[]/.test(lineText.replace(/\$\{[^}]*\}/g, ""))) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: names the ${VAR} syntax for the user.
      draft.note = 'inside { } or [ ], quote a value that contains ${…}: "${NAME}"';
    }
    issues.push(toConfigIssue(draft, { line, column: col }));
  };
  for (const error of document.errors) add(error.pos[0], lowerFirst(error.message));
  if (issues.length > 0) return issues;
  // Aliases to a missing anchor parse fine but fail on conversion; find them with a position.
  visit(document, {
    Alias(_key, node) {
      if (node.resolve(document) === undefined) {
        add(node.range?.[0] ?? 0, `unknown alias *${node.source}: define &${node.source} first`);
      }
    },
  });
  return issues;
}

/** Every `__proto__` key, with its key path: JavaScript objects would silently drop it. */
function reservedKeyIssues(document: Document, lineCounter: LineCounter): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(document, {
    Pair(_key, pair, ancestors) {
      if (!isScalar(pair.key) || !RESERVED_KEYS.has(String(pair.key.value))) return;
      const path: string[] = [];
      for (const ancestor of ancestors) {
        if (isPair(ancestor) && isScalar(ancestor.key)) path.push(String(ancestor.key.value));
      }
      path.push(String(pair.key.value));
      const { line, col } = lineCounter.linePos(pair.key.range?.[0] ?? 0);
      issues.push(
        toConfigIssue(
          { path, summary: `the key "${String(pair.key.value)}" is reserved`, target: "key" },
          { line, column: col },
        ),
      );
    },
  });
  return issues;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
