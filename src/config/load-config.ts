import { dirname, resolve } from "node:path";
import { z } from "zod";
import { applyEnvironmentOverrides } from "./apply-environment-overrides.js";
import { builtinModels } from "./builtin-models.js";
import { ConfigError } from "./config-error.js";
import { formatKeyPath } from "./format-config-issue.js";
import { hideSecretValues } from "./hide-secret-values.js";
import { interpolateEnvironment } from "./interpolate-environment.js";
import { type IssueDraft, sortIssues, toConfigIssue } from "./issue-draft.js";
import { headerPaths, modelSecrets } from "./model-secrets.js";
import { type ParsedConfigText, parseConfigText } from "./parse-config-text.js";
import { displayPath, findConfigFile, readConfigFile } from "./read-config-file.js";
import { resolveStoreUrl } from "./resolve-locations.js";
import { configSchema, type OrkestraConfig } from "./schema.js";
import { locateInDocument } from "./yaml-positions.js";
import { draftsFromZodIssues } from "./zod-issue-drafts.js";

export interface LoadConfigOptions {
  /**
   * The configuration file (`--config`), relative to `cwd`. It must exist.
   * @defaultValue `orkestra.yaml` (or `orkestra.yml`) in `cwd`; built-in defaults when neither exists
   */
  configPath?: string;
  /**
   * How the user gave `configPath`, for the hint when it does not exist: a flag or an argument.
   * @defaultValue "--config"
   */
  configPathFrom?: string;
  /** Working directory: where the file is looked for and what WORKSPACE_DIR is relative to. @defaultValue process.cwd() */
  cwd?: string;
  /** Variables for `${VAR}` interpolation and the ORKESTRA_STORE, LOG_LEVEL and WORKSPACE_DIR overrides. @defaultValue process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface LoadedConfig {
  /** Validated, with defaults applied; `workspace` and `store` hold the resolved values below. */
  config: OrkestraConfig;
  /** Absolute path of the file read; undefined when running on built-in defaults. */
  file: string | undefined;
  /** Absolute workspace directory. */
  workspaceDir: string;
  /** The store URL with a `sqlite:` path made absolute. */
  storeUrl: string;
  /** True when no models were configured and the built-in simulated `sim` model was added; label output "simulated". */
  builtinSimulated: boolean;
  /** Aliases configured automatically because no models were configured and their key variable is set. */
  detectedModels: readonly string[];
  /** The environment variables that overrode a key, for `config show`: `{ keyPath: "log.level", variable: "LOG_LEVEL" }`. */
  environmentOverrides: readonly { keyPath: string; variable: string }[];
  /**
   * Values that must never be printed, logged or stored: every value a `${VAR}` took from the
   * environment (not a `:-` default written in the file), every configured header value and the
   * configured models' API keys. Give them to `createGateway({ secrets })` and
   * `createLogger({ secrets })`, which scrub those of 8 characters or more from error messages,
   * error causes and log lines.
   */
  secrets: readonly string[];
  /**
   * Formatted key paths of `config` whose whole value is secret, however short: header values
   * and strings that took a variable's value. `config show` prints them as `***`.
   */
  secretPaths: ReadonlySet<string>;
}

/**
 * Loads the configuration: file → `${VAR}` interpolation → environment overrides → built-in
 * `sim` model when no models are configured → validation → resolved paths. Every problem is
 * collected and thrown as one ConfigError with positions in the file.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const environment = options.env ?? process.env;
  const file = await findConfigFile(options.configPath, cwd, options.configPathFrom);
  if (file === undefined) return resolveConfig(undefined, { cwd, environment });
  const displayFile = displayPath(file, cwd);
  const text = await readConfigFile(file, displayFile);
  const parsed = parseConfigText(text, { file, displayFile });
  return resolveConfig({ ...parsed, file, displayFile }, { cwd, environment });
}

interface FileSource extends ParsedConfigText {
  file: string;
  displayFile: string;
}

function resolveConfig(
  source: FileSource | undefined,
  context: { cwd: string; environment: Readonly<Record<string, string | undefined>> },
): LoadedConfig {
  const interpolation = interpolateEnvironment(source?.data ?? {}, context.environment);
  const overrides = applyEnvironmentOverrides(
    interpolation.value as Record<string, unknown>,
    context.environment,
  );
  const { data, builtinSimulated, detectedModels } = withBuiltinModels(
    overrides.data,
    context.environment,
  );
  const result = configSchema.safeParse(data);

  // A `${VAR}` that failed already has its issue; the raw text left in its place would only
  // add a second, misleading one (`${URL}` is not a URL).
  const interpolationFailures = new Set(
    interpolation.issues.map((draft) => formatKeyPath(draft.path)),
  );
  const validationDrafts = result.success
    ? []
    : draftsFromZodIssues(result.error.issues, {
        schema: configSchema,
        data,
        interpolatedPaths: interpolation.interpolatedPaths,
      })
        .filter((draft) => !interpolationFailures.has(formatKeyPath(draft.path)))
        .map((draft) => blameOverride(draft, overrides.overriddenPaths))
        .map((draft) => hideSecretValues(draft, interpolation.secretPaths, context.environment));
  const drafts = [...interpolation.issues, ...validationDrafts];
  if (!result.success && drafts.length === 0) {
    // Not expected: every zod issue maps to a draft. Never throw an error with no issues.
    drafts.push({ path: [], summary: z.prettifyError(result.error) });
  }

  if (drafts.length > 0 || !result.success) {
    const issues = sortIssues(
      drafts.map((draft) =>
        toConfigIssue(
          draft,
          source === undefined || draft.source === "environment"
            ? undefined
            : locateInDocument(
                source.document,
                source.lineCounter,
                draft.path,
                draft.target ?? "value",
              ),
        ),
      ),
    );
    const fromEnvironment = issues.every((issue) => issue.envVar !== undefined);
    throw new ConfigError({
      code: fromEnvironment ? "config.env" : "config.invalid",
      file: source?.file,
      displayFile: source?.displayFile,
      issues,
      hint: fromEnvironment
        ? "Set or correct the environment variables named above."
        : "Fix each setting listed above. Editors can check the file as you type with Orkestra's JSON Schema.",
    });
  }

  const config = result.data;
  const workspaceOverride = overrides.overriddenPaths.has("workspace");
  const workspaceDir = resolve(
    workspaceOverride || source === undefined ? context.cwd : dirname(source.file),
    config.workspace,
  );
  const storeUrl = resolveStoreUrl(config.store, workspaceDir);
  return {
    config: { ...config, workspace: workspaceDir, store: storeUrl },
    file: source?.file,
    workspaceDir,
    storeUrl,
    builtinSimulated,
    detectedModels,
    environmentOverrides: [...overrides.overriddenPaths].map(([keyPath, variable]) => ({
      keyPath,
      variable,
    })),
    secrets: [
      ...new Set([
        ...interpolation.secretValues,
        ...modelSecrets(config.models, context.environment),
      ]),
    ],
    secretPaths: new Set([...interpolation.secretPaths.keys(), ...headerPaths(config.models)]),
  };
}

function withBuiltinModels(
  data: Record<string, unknown>,
  environment: Readonly<Record<string, string | undefined>>,
): { data: Record<string, unknown>; builtinSimulated: boolean; detectedModels: string[] } {
  const models = data.models;
  const isEmpty =
    models === undefined ||
    models === null ||
    (typeof models === "object" && !Array.isArray(models) && Object.keys(models).length === 0);
  if (!isEmpty) return { data, builtinSimulated: false, detectedModels: [] };
  // Added before validation so `fallbacks: { demo: [sim] }` validates without any models.
  const builtin = builtinModels(environment);
  return {
    data: { ...data, models: builtin.models },
    builtinSimulated: builtin.simulated,
    detectedModels: builtin.detected,
  };
}

function blameOverride(
  draft: IssueDraft,
  overriddenPaths: ReadonlyMap<string, string>,
): IssueDraft {
  const variable = overriddenPaths.get(formatKeyPath(draft.path));
  return variable === undefined ? draft : { ...draft, source: "environment", envVar: variable };
}
