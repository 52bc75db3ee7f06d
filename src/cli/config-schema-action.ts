import { configJsonSchema } from "../config/index.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";

/** `orkestra config schema`: the JSON Schema of orkestra.yaml. */
export async function printConfigSchema(context: CliContext): Promise<number> {
  // The schema itself is the output (`config schema > orkestra.schema.json`); --json wraps
  // it like every other document.
  if (context.options.json) context.printJson({ success: true, schema: configJsonSchema() });
  else context.printJson(configJsonSchema());
  return EXIT_OK;
}
