import type { AuditEvent } from "../store/index.js";
import { type AuditFilterFlags, eventJson, toQuery } from "./audit-filters.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";
import { formatTable } from "./format-table.js";
import { parsePositiveInteger } from "./parse-duration.js";

function compactData(event: AuditEvent): string {
  const text = JSON.stringify(event.data);
  return text === "{}" ? "" : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `orkestra audit`: the newest events that match, as a table or one JSON document. */
export async function showAudit(
  context: CliContext,
  flags: AuditFilterFlags & { limit: string },
): Promise<number> {
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
}
