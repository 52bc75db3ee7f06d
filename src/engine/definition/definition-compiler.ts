import type { IssueDraft } from "../../config/index.js";
import { formatKeyPath } from "../../config/index.js";
import type { Expression, Template } from "../workflow-definition.js";
import { compileBooleanExpression, compileNumberExpression } from "./compile-expression.js";
import { compileTemplate } from "./compile-template.js";
import { constantTemplate } from "./constant-template.js";
import type { ReferenceContext, ReferenceProblem } from "./reference-context.js";

type Path = readonly (string | number)[];

/**
 * Compiles the templates and expressions of one workflow file, collecting every problem as a
 * draft at its key path instead of stopping at the first.
 */
export class DefinitionCompiler {
  readonly drafts: IssueDraft[] = [];
  /** Where each step reads state: step id → [state key, key path] pairs. */
  readonly stateReads = new Map<string, { key: string; path: Path }[]>();
  private readonly integerInputs: ReadonlySet<string>;

  constructor(integerInputs: ReadonlySet<string>) {
    this.integerInputs = integerInputs;
  }

  problem(draft: IssueDraft): void {
    this.drafts.push(draft);
  }

  template(
    value: string | number | boolean,
    path: Path,
    context: ReferenceContext,
  ): Template | undefined {
    if (typeof value !== "string") return constantTemplate(value);
    const compiled = compileTemplate(value, this.site(path, context));
    this.report(compiled.problems, path);
    return compiled.template;
  }

  /** A `when` or `loop.until`; `constantValue` is set when it reads nothing (`when: "false"`). */
  condition(
    source: string,
    path: Path,
    context: ReferenceContext,
  ): { expression: Expression<boolean>; constantValue?: unknown } | undefined {
    const compiled = compileBooleanExpression(source, this.site(path, context));
    this.report(compiled.problems, path);
    return compiled.expression === undefined
      ? undefined
      : { expression: compiled.expression, constantValue: compiled.constantValue };
  }

  number(source: string, path: Path, context: ReferenceContext): Expression<number> | undefined {
    const compiled = compileNumberExpression(source, this.site(path, context));
    this.report(compiled.problems, path);
    return compiled.expression;
  }

  private site(path: Path, context: ReferenceContext) {
    const stepId = context.stepId;
    const recorded: ReferenceContext =
      stepId === undefined
        ? context
        : {
            ...context,
            onStateRead: (key) => {
              const reads = this.stateReads.get(stepId) ?? [];
              if (!reads.some((read) => read.key === key && read.path === path)) {
                reads.push({ key, path });
              }
              this.stateReads.set(stepId, reads);
            },
          };
    return { keyPath: formatKeyPath(path), context: recorded, integerInputs: this.integerInputs };
  }

  private report(problems: readonly ReferenceProblem[], path: Path): void {
    for (const problem of problems) {
      const draft: IssueDraft = { path, summary: problem.summary };
      if (problem.expected !== undefined) draft.expected = problem.expected;
      if (problem.suggestion !== undefined) draft.suggestion = problem.suggestion;
      this.drafts.push(draft);
    }
  }
}
