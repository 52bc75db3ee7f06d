import type { ParseResult } from "@marcbachmann/cel-js";
import type { EvaluationScope, Template } from "../workflow-definition.js";
import { celContext, celErrorSummary, fromCelValue } from "./cel-environment.js";
import { compileCel } from "./compile-cel.js";
import type { ExpressionSite } from "./compile-expression.js";
import { ExpressionError } from "./expression-error.js";
import type { ReferenceProblem } from "./reference-context.js";

interface Placeholder {
  placeholder: string;
  program: ParseResult;
}

type Part = { text: string } | Placeholder;

export interface CompiledTemplate {
  /** Undefined when there were problems. */
  template?: Template;
  problems: ReferenceProblem[];
}

/**
 * Compiles `{{ … }}` text. Each placeholder holds one CEL expression (usually a dotted path such
 * as `steps.pacing.text`), checked at load like `when`; it cannot contain `}}`. A problem names
 * the placeholder it is in.
 */
export function compileTemplate(source: string, site: ExpressionSite): CompiledTemplate {
  const parts: Part[] = [];
  const problems: ReferenceProblem[] = [];
  let position = 0;
  while (position < source.length) {
    const open = source.indexOf("{{", position);
    if (open === -1) {
      parts.push({ text: source.slice(position) });
      break;
    }
    if (open > position) parts.push({ text: source.slice(position, open) });
    const close = source.indexOf("}}", open + 2);
    if (close === -1) {
      problems.push({
        summary: `unclosed placeholder ${JSON.stringify(shorten(source.slice(open)))}: end it with }}`,
      });
      break;
    }
    const placeholder = source.slice(open, close + 2);
    const expression = source.slice(open + 2, close).trim();
    position = close + 2;
    if (expression === "") {
      problems.push({
        summary: `empty placeholder ${placeholder}: write {{ inputs.name }} or similar`,
      });
      continue;
    }
    const compiled = compileCel(expression, site.context);
    for (const problem of compiled.problems) {
      problems.push({ ...problem, summary: `${problem.summary} in ${placeholder}` });
    }
    if (compiled.program !== undefined) parts.push({ placeholder, program: compiled.program });
  }
  if (problems.length > 0) return { problems };
  return { template: makeTemplate(source, parts, site), problems };
}

function makeTemplate(source: string, parts: readonly Part[], site: ExpressionSite): Template {
  const placeholderValue = (part: Placeholder, scope: EvaluationScope): unknown => {
    try {
      return fromCelValue(part.program(celContext(scope, site.integerInputs)));
    } catch (error) {
      throw new ExpressionError({
        keyPath: site.keyPath,
        expression: part.placeholder,
        problem: celErrorSummary(error),
        cause: error,
      });
    }
  };
  const render = (scope: EvaluationScope): string =>
    parts
      .map((part) => ("text" in part ? part.text : toText(placeholderValue(part, scope))))
      .join("");
  const placeholders = parts.filter((part) => !("text" in part && part.text.trim() === ""));
  const [only] = placeholders;
  const single =
    placeholders.length === 1 && only !== undefined && "placeholder" in only ? only : undefined;
  return {
    source,
    render,
    resolve: (scope) => (single === undefined ? render(scope) : placeholderValue(single, scope)),
  };
}

/** Text of a value in a prompt: strings as they are, structured values as indented JSON. */
function toText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value, null, 2);
  return String(value);
}

function shorten(text: string): string {
  return text.length > 30 ? `${text.slice(0, 29)}…` : text;
}
