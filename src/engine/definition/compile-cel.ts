import type { ParseResult } from "@marcbachmann/cel-js";
import { celEnvironment, celErrorSummary } from "./cel-environment.js";
import { celReferences } from "./cel-references.js";
import { checkReference } from "./check-reference.js";
import type { ReferenceContext, ReferenceProblem } from "./reference-context.js";

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
    return {
      constant: false,
      problems: [{ summary: `invalid expression: ${celErrorSummary(error)}` }],
    };
  }
  const references = celReferences(program.ast);
  const problems: ReferenceProblem[] = [];
  for (const reference of references) {
    const problem = checkReference(reference, context);
    if (problem !== undefined) problems.push(problem);
  }
  if (problems.length === 0) {
    const checked = program.check();
    if (!checked.valid) {
      problems.push({ summary: `invalid expression: ${celErrorSummary(checked.error)}` });
    }
  }
  return { program, constant: references.length === 0, problems };
}
