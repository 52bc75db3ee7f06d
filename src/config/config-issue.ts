/** One problem with the configuration, located as precisely as we can. */
export interface ConfigIssue {
  /** Where in the configuration: `models.claude.provider`, `fallbacks.smart[1]`; "" for the whole file. */
  keyPath: string;
  /** The same location as segments, for tools: `["fallbacks", "smart", 1]`. */
  path: readonly (string | number)[];
  /** 1-based line in the file, when the problem is in the file. */
  line?: number;
  /** 1-based column in the file, when the problem is in the file. */
  column?: number;
  /** Short rendering of the value found (`"antropic"`, `a string "abc"`); undefined when missing. */
  found?: string;
  /** What would have been accepted (`one of openai, anthropic`, `a number >= 1`). */
  expected?: string;
  /** The complete explanation, without the location: what was found, what was expected, the fix. */
  message: string;
  /** The closest valid spelling, for misspelt keys, providers, enum values and model aliases. */
  suggestion?: string;
  /** The environment variable behind the problem: an override, or a `${VAR}` that is not set. */
  envVar?: string;
  /** Whether the faulty value came from the file or from an environment override. */
  source: "file" | "environment";
}
