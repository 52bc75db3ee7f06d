import type { z } from "zod";
import { draftsFromZodIssues, formatKeyPath, type IssueDraft } from "../../config/index.js";

/** Zod's findings for a step, at the step's path; a string `command` gets its own message. */
export function stepDrafts(
  id: string,
  body: Readonly<Record<string, unknown>>,
  issues: readonly z.core.$ZodIssue[],
  schema: z.core.$ZodType,
): IssueDraft[] {
  const drafts: IssueDraft[] = [];
  const command = body.command;
  if (typeof command === "string") {
    drafts.push({
      path: ["steps", id, "command"],
      found: `a string ${JSON.stringify(command)}`,
      expected: "a list of arguments, run without a shell",
      suggestion: `[${command.trim().split(/\s+/).join(", ")}]`,
    });
  }
  for (const draft of draftsFromZodIssues(issues, {
    schema,
    data: body,
    interpolatedPaths: new Set(),
  })) {
    if (typeof command === "string" && formatKeyPath(draft.path) === "command") continue;
    drafts.push({ ...draft, path: ["steps", id, ...draft.path] });
  }
  return drafts;
}

/** The step without the keys zod rejected, so the rest of it can still be checked. */
export function withoutFailingKeys(
  body: Readonly<Record<string, unknown>>,
  issues: readonly z.core.$ZodIssue[],
): Record<string, unknown> {
  const failing = new Set<string>();
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") for (const key of issue.keys) failing.add(key);
    else if (issue.path[0] !== undefined) failing.add(String(issue.path[0]));
  }
  return Object.fromEntries(Object.entries(body).filter(([key]) => !failing.has(key)));
}
