import { composeIssueMessage, draftsFromZodIssues } from "../config/index.js";
import { UsageError } from "../errors/index.js";
import type { TaskSpec } from "../queue/tasks/task-types.js";
import { type TaskSchemaContext, taskEntrySchema, toTaskSpec } from "./task-spec-schema.js";

/** `orkestra task add`'s flags for one task, as commander gives them. */
export interface TaskAddFlags {
  file?: string;
  title?: string;
  instructions?: string;
  priority?: string;
  needs?: string;
  capabilities?: string;
  queue?: string;
  payload?: string;
  kind?: string;
  maxAttempts?: string;
  timeout?: string;
  runAt?: string;
  idempotencyKey?: string;
  agent?: string;
}

/** The entry key each flag sets, and the flag as the user typed it. */
const FLAG_NAMES: Readonly<Record<string, string>> = {
  title: "--title",
  instructions: "--instructions",
  priority: "--priority",
  needs: "--needs",
  capabilities: "--capabilities",
  queue: "--queue",
  payload: "--payload",
  kind: "--kind",
  maxAttempts: "--max-attempts",
  timeout: "--timeout",
  runAt: "--run-at",
  idempotencyKey: "--idempotency-key",
  agent: "--agent",
};

/** The task the flags describe, checked by the same schema as a file's entries. */
export function taskSpecFromFlags(
  flags: TaskAddFlags,
  context: TaskSchemaContext,
  now: number,
): TaskSpec {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(FLAG_NAMES)) {
    const value = flags[key as keyof TaskAddFlags];
    if (value !== undefined) raw[key] = value;
  }
  for (const key of ["priority", "maxAttempts"]) {
    // A whole number as text becomes the number; anything else is reported as found.
    if (typeof raw[key] === "string" && /^[-+]?\d+$/.test((raw[key] as string).trim())) {
      raw[key] = Number(raw[key]);
    }
  }
  for (const key of ["needs", "capabilities"]) {
    if (typeof raw[key] === "string") raw[key] = splitList(raw[key] as string);
  }
  if (flags.payload !== undefined) raw.payload = parsePayload(flags.payload);

  const schema = taskEntrySchema(context);
  const checked = schema.safeParse(raw);
  if (checked.success) return toTaskSpec(checked.data, now);
  const drafts = draftsFromZodIssues(checked.error.issues, {
    schema,
    data: raw,
    interpolatedPaths: new Set(),
  });
  const lines = drafts.map((draft) => {
    const flag = FLAG_NAMES[String(draft.path[0])] ?? String(draft.path[0]);
    return `${flag}: ${composeIssueMessage(draft)}`;
  });
  throw new UsageError(lines.join("\n"), {
    hint: "Nothing was added. See `orkestra task add --help` for the flags.",
  });
}

/** `a, b,,c` → `["a", "b", "c"]`. */
function splitList(text: string): string[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(
      `--payload: not JSON (${error instanceof Error ? error.message : String(error)})`,
      { hint: `Quote it for the shell: --payload '{"file": "src/parser.ts"}'` },
    );
  }
}
