import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { UsageError } from "../errors/index.js";
import { type AuditFilterFlags, eventJson, toQuery } from "./audit-filters.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";

/**
 * The filters of `audit export`. Commander gives options that `audit` also has to `audit`,
 * wherever they are written (`audit export --since 1h` as much as `audit --since 1h export`),
 * so they are read from the parent too; without this, export ignored every filter.
 */
function exportFilters(own: AuditFilterFlags, command: Command): AuditFilterFlags {
  const parent = command.parent?.opts<AuditFilterFlags>() ?? {};
  if (command.parent?.getOptionValueSource("limit") === "cli") {
    throw new UsageError("audit export: --limit applies to audit, not audit export", {
      hint: "Narrow the export with --since, --action or --actor.",
    });
  }
  const filters: AuditFilterFlags = {};
  for (const key of ["since", "action", "actor"] as const) {
    const value = own[key] ?? parent[key];
    if (value !== undefined) filters[key] = value;
  }
  return filters;
}

/** Opens `-o FILE` for writing; a path that cannot be written is a usage error. */
async function openOutputFile(path: string, shown: string): Promise<WriteStream> {
  const file = createWriteStream(path);
  try {
    await once(file, "open");
    return file;
  } catch (error) {
    throw new UsageError(`-o: cannot write ${shown}: ${(error as Error).message}`, {
      hint: "Give a file in a directory that exists and that you may write to.",
    });
  }
}

/** `orkestra audit export`: the trail as JSON Lines, oldest first, to stdout or `-o FILE`. */
export async function exportAudit(
  context: CliContext,
  flags: AuditFilterFlags & { output?: string },
  command: Command,
): Promise<number> {
  const query = toQuery(exportFilters(flags, command), Date.now());
  const store = await context.store();
  const events = store.audit.iterate(query);
  if (context.options.json && !flags.output) {
    // --json promises one document on stdout; JSON Lines would be one per event.
    const all: Record<string, unknown>[] = [];
    for await (const event of events) all.push(eventJson(event));
    context.printJson({ success: true, events: all });
    return EXIT_OK;
  }
  const target = flags.output
    ? await openOutputFile(resolve(context.io.cwd, flags.output), flags.output)
    : context.io.stdout;
  let count = 0;
  for await (const event of events) {
    if (!target.write(`${JSON.stringify(eventJson(event))}\n`)) await once(target, "drain");
    count += 1;
  }
  if (flags.output) {
    const file = target as WriteStream;
    file.end();
    await once(file, "finish");
    if (context.options.json) context.printJson({ success: true, file: flags.output, count });
    else context.note(`Wrote ${count} audit event${count === 1 ? "" : "s"} to ${flags.output}`);
  }
  return EXIT_OK;
}
