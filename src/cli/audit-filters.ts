import type { AuditEvent, AuditQuery } from "../store/index.js";
import { parseDuration } from "./parse-duration.js";

/** The filters `audit` and `audit export` share. */
export interface AuditFilterFlags {
  since?: string;
  action?: string;
  actor?: string;
}

export function toQuery(flags: AuditFilterFlags, now: number): AuditQuery {
  const query: AuditQuery = {};
  if (flags.since !== undefined) query.since = now - parseDuration(flags.since, "--since");
  if (flags.action !== undefined) query.action = flags.action;
  if (flags.actor !== undefined) query.actor = flags.actor;
  return query;
}

/** An event as printed: the time as an ISO string, like every time the CLI prints. */
export function eventJson(event: AuditEvent): Record<string, unknown> {
  return { ...event, at: new Date(event.at).toISOString() };
}
