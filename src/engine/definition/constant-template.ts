import type { Template } from "../workflow-definition.js";

/** A literal in place of a template (`writes: { done: true }`): resolves to the value itself. */
export function constantTemplate(value: string | number | boolean): Template {
  return { source: String(value), render: () => String(value), resolve: () => value };
}
