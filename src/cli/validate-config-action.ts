import { ConfigError, type LoadedConfig, loadConfig } from "../config/index.js";
import type { CliContext } from "./cli-context.js";
import { EXIT_OK, EXIT_USAGE } from "./exit-codes.js";
import { errorDocument } from "./report-error.js";

function summarize(loaded: LoadedConfig): string {
  const models = Object.entries(loaded.config.models).map(([alias, model]) =>
    model.provider === "simulated" ? `${alias} (simulated)` : `${alias} (${model.provider})`,
  );
  const chains = Object.keys(loaded.config.fallbacks);
  const parts = [`${models.length} model${models.length === 1 ? "" : "s"}: ${models.join(", ")}`];
  if (chains.length > 0) parts.push(`fallback chains: ${chains.join(", ")}`);
  if (loaded.config.budget) parts.push("budget set");
  return parts.join("; ");
}

/** `orkestra validate-config [file]`: every problem with its key and line, or a summary. */
export async function validateConfig(
  context: CliContext,
  file: string | undefined,
): Promise<number> {
  const configPath = file ?? context.options.config;
  try {
    const loaded = await loadConfig({
      configPath,
      ...(file === undefined ? {} : { configPathFrom: "validate-config's FILE argument" }),
      cwd: context.io.cwd,
      env: context.io.env,
    });
    const where = loaded.file ?? "(no file: built-in defaults)";
    if (context.options.json) {
      context.printJson({
        success: true,
        valid: true,
        issues: [],
        file: loaded.file ?? null,
        models: Object.keys(loaded.config.models),
        fallbacks: Object.keys(loaded.config.fallbacks),
      });
    } else {
      context.print(`${where} is valid: ${summarize(loaded)}`);
    }
    return EXIT_OK;
  } catch (error) {
    if (!ConfigError.isInstance(error) || !context.options.json) throw error;
    context.printJson({
      success: false,
      // The --json failure document every command prints, plus the issues as data.
      error: errorDocument(error),
      valid: false,
      file: error.file ?? null,
      issues: error.issues,
    });
    return EXIT_USAGE;
  }
}
