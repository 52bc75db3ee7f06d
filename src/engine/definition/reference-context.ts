/** What the names in one expression or template may refer to, at the place it is used. */
export interface ReferenceContext {
  inputs: ReadonlySet<string>;
  state: ReadonlySet<string>;
  /** Every step id of the workflow. */
  steps: ReadonlySet<string>;
  /** The step that uses the expression; undefined at the workflow level (`loop`). */
  stepId?: string;
  /**
   * Whether `steps.<id>` may be read here: it must have ended first, so be upstream of the step
   * (transitively in its `needs`). Undefined: every step may be read (loop expressions run after
   * the iteration).
   */
  isUpstream?: (stepId: string) => boolean;
  /** `output` is only known in the step's own `writes`. */
  allowOutput: boolean;
  /** Field names of `object` per step with a structured-output schema, for `steps.x.object.y`. */
  objectFields: ReadonlyMap<string, ReadonlySet<string>>;
  /** Told of every known state key the expression reads (for the concurrent-read check). */
  onStateRead?: (key: string) => void;
}

/** A wrong name in an expression or template, in words, with the likely intended name. */
export interface ReferenceProblem {
  summary: string;
  /** What would be right, when it is not just a spelling. */
  expected?: string;
  suggestion?: string;
}
