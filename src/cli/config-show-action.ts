import { stringify } from "yaml";
import { formatKeyPath } from "../config/index.js";
import { REDACTED } from "../observability/redact.js";
import { createRedactor } from "../observability/redactor.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK } from "./exit-codes.js";

/**
 * The configuration with the whole value at each secret key path (header values, strings that
 * took a `${VAR}`'s value) replaced, however short it is: the redactor only removes known
 * values of 8 characters or more wherever else they occur.
 */
function maskSecretPaths(
  value: unknown,
  secretPaths: ReadonlySet<string>,
  path: (string | number)[],
): unknown {
  if (path.length > 0 && secretPaths.has(formatKeyPath(path))) return REDACTED;
  if (Array.isArray(value)) {
    return value.map((item, index) => maskSecretPaths(item, secretPaths, [...path, index]));
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        maskSecretPaths(item, secretPaths, [...path, key]),
      ]),
    );
  }
  return value;
}

/** `orkestra config show`: the configuration in effect, secrets masked. */
export async function showConfig(context: CliContext): Promise<number> {
  const loaded = await context.config();
  const document = createRedactor(loaded.secrets).value({
    file: loaded.file ?? null,
    ...(maskSecretPaths(loaded.config, loaded.secretPaths, []) as object),
    environmentOverrides: loaded.environmentOverrides,
  });
  if (context.options.json)
    context.printJson({ success: true, ...(document as Record<string, unknown>) });
  else context.print(stringify(document));
  return EXIT_OK;
}
