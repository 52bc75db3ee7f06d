import type { ParseResult } from "@marcbachmann/cel-js";
import { celEnvironment, celErrorSummary } from "./cel-environment.js";
import { celReferences } from "./cel-references.js";
import { checkReference } from "./check-reference.js";
import type { ReferenceContext, ReferenceProblem } from "./reference-context.js";

const CEL_EXAMPLE = "a CEL expression such as state.score >= 0.8 && iteration < 3";

export interface CompiledCel {
  /** Undefined when the text is not valid CEL. */
  program?: ParseResult;
  /** True when the expression reads no variable at all (so its value is known at load). */
  constant: boolean;
  problems: ReferenceProblem[];
}

/**
 * Parses and type-checks CEL text, then checks every name it reads against the workflow. All
 * problems are returned, never thrown: the loader reports them together with the others.
 */
export function compileCel(source: string, context: ReferenceContext): CompiledCel {
  let program: ParseResult;
  try {
    program = celEnvironment().parse(source);
  } catch (error) {
    const start = (error as { range?: { start: number } }).range?.start;
    const where = start === undefined ? "" : ` at character ${start + 1}`;
    return {
      constant: false,
      problems: [
        { summary: `invalid CEL${where}: ${celErrorSummary(error)}`, expected: CEL_EXAMPLE },
      ],
    };
  }
  const references = celReferences(program.ast);
  const problems: ReferenceProblem[] = [];
  for (const reference of references) {
    const problem = checkReference(reference, context);
    if (problem !== undefined) problems.push(problem);
    const [key] = reference.segments;
    if (reference.root === "state" && key !== undefined && context.state.has(key)) {
      context.onStateRead?.(key);
    }
  }
  if (problems.length === 0) {
    const checked = program.check();
    if (!checked.valid) {
      problems.push({
        summary: `invalid CEL: ${celErrorSummary(checked.error)}`,
        expected: CEL_EXAMPLE,
      });
    }
  }
  return { program, constant: references.length === 0, problems };
}
