import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { UsageError } from "../errors/index.js";
import type { AuditEvent, AuditQuery } from "../store/index.js";
import type { CommandRunner } from "./command-runner.js";
import { EXIT_OK } from "./exit-codes.js";
import { formatTable } from "./format-table.js";
import { parseDuration, parsePositiveInteger } from "./parse-duration.js";

interface AuditFilterFlags {
  since?: string;
  action?: string;
  actor?: string;
}

function toQuery(flags: AuditFilterFlags, now: number): AuditQuery {
  const query: AuditQuery = {};
  if (flags.since !== undefined) query.since = now - parseDuration(flags.since, "--since");
  if (flags.action !== undefined) query.action = flags.action;
  if (flags.actor !== undefined) query.actor = flags.actor;
  return query;
}

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

function withFilters(command: Command): Command {
  return command
    .option("--since <duration>", "only events newer than this (30m, 1h, 7d)")
    .option("--action <action>", "only this action (model:call, budget:exceeded, ...)")
    .option("--actor <actor>", "only this actor (cli:alice, gateway, worker:<id>)");
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

/** An event as printed: the time as an ISO string, like every time the CLI prints. */
function eventJson(event: AuditEvent): Record<string, unknown> {
  return { ...event, at: new Date(event.at).toISOString() };
}

function compactData(event: AuditEvent): string {
  const text = JSON.stringify(event.data);
  return text === "{}" ? "" : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function registerAuditCommands(program: Command, runner: CommandRunner): void {
  const audit = withFilters(
    program
      .command("audit")
      .description("show the audit trail: who did what to which resource, and how it ended"),
  )
    .option("--limit <n>", "at most this many events (newest)", "100")
    .action(
      runner.action(async (context, flags: AuditFilterFlags & { limit: string }) => {
        const limit = parsePositiveInteger(flags.limit, "--limit");
        const query = toQuery(flags, Date.now());
        const store = await context.store();
        const events = await store.audit.query({ ...query, limit, newest: true });
        if (context.options.json) {
          context.printJson({ success: true, events: events.map(eventJson) });
          return EXIT_OK;
        }
        if (events.length === 0) {
          context.print("No audit events match.");
          return EXIT_OK;
        }
        context.print(
          formatTable(events, [
            { header: "TIME", value: (event) => new Date(event.at).toISOString() },
            { header: "ACTOR", value: (event) => event.actor },
            { header: "ACTION", value: (event) => event.action },
            { header: "RESOURCE", value: (event) => event.resource },
            { header: "OUTCOME", value: (event) => event.outcome },
            { header: "DATA", value: compactData },
          ]),
        );
        return EXIT_OK;
      }),
    );

  withFilters(
    audit
      .command("export")
      .description(
        "write the audit trail as JSON Lines, oldest first (with --json: one document { events } on stdout, or { file, count } with -o)",
      ),
  )
    .option("-o, --output <file>", "write to this file instead of stdout")
    .action(
      runner.action(
        async (context, flags: AuditFilterFlags & { output?: string }, command: Command) => {
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
            if (context.options.json)
              context.printJson({ success: true, file: flags.output, count });
            else
              context.note(
                `Wrote ${count} audit event${count === 1 ? "" : "s"} to ${flags.output}`,
              );
          }
          return EXIT_OK;
        },
      ),
    );
}
