import type { Command } from "commander";
import { stringify } from "yaml";
import {
  ConfigError,
  configJsonSchema,
  formatKeyPath,
  type LoadedConfig,
} from "../config/index.js";
import { createRedactor, REDACTED } from "../observability/index.js";
import type { CommandRunner } from "./command-runner.js";
import { EXIT_OK, EXIT_USAGE } from "./exit-codes.js";

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

export function registerConfigCommands(program: Command, runner: CommandRunner): void {
  program
    .command("validate-config")
    .description("check a configuration file and report every problem with its key and line")
    .argument("[file]", "file to check (default: --config or ./orkestra.yaml)")
    .action(
      runner.action(async (context, file: string | undefined) => {
        const configPath = file ?? context.options.config;
        const { loadConfig } = await import("../config/index.js");
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
          if (!(error instanceof ConfigError) || !context.options.json) throw error;
          context.printJson({
            success: false,
            valid: false,
            file: error.file ?? null,
            issues: error.issues,
          });
          return EXIT_USAGE;
        }
      }),
    );

  const config = program.command("config").description("inspect the configuration");

  config
    .command("schema")
    .description(
      "print the JSON Schema of orkestra.yaml, for editors (--json: { success, schema })",
    )
    .action(
      runner.action(async (context) => {
        // The schema itself is the output (`config schema > orkestra.schema.json`); --json wraps
        // it like every other document.
        if (context.options.json) context.printJson({ success: true, schema: configJsonSchema() });
        else context.printJson(configJsonSchema());
        return EXIT_OK;
      }),
    );

  config
    .command("show")
    .description("print the configuration in effect: file, environment overrides and defaults")
    .action(
      runner.action(async (context) => {
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
      }),
    );
}
