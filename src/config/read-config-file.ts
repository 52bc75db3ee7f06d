import { lstat, readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { ConfigError } from "./config-error.js";
import { didYouMean } from "./did-you-mean.js";
import { toConfigIssue } from "./issue-draft.js";

/** File names looked for in the working directory, in order. */
export const DEFAULT_CONFIG_FILES = ["orkestra.yaml", "orkestra.yml"] as const;

/**
 * The configuration file to use: `configPath` (resolved against `cwd`) when given, which must
 * exist; else the first of DEFAULT_CONFIG_FILES in `cwd`; else undefined (run on defaults).
 */
export async function findConfigFile(
  configPath: string | undefined,
  cwd: string,
  configPathFrom = "--config",
): Promise<string | undefined> {
  if (configPath !== undefined) {
    const file = resolve(cwd, configPath);
    if (!(await entryExists(file))) {
      throw await notFoundError(file, displayPath(file, cwd), configPathFrom);
    }
    return file;
  }
  for (const name of DEFAULT_CONFIG_FILES) {
    const file = join(cwd, name);
    // lstat, not stat: a dangling orkestra.yaml symlink is reported, not silently skipped.
    if (await entryExists(file)) return file;
  }
  return undefined;
}

/** Reads the file as UTF-8, turning every filesystem failure into a ConfigError that says why. */
export async function readConfigFile(file: string, displayFile: string): Promise<string> {
  try {
    const stats = await stat(file);
    if (stats.isDirectory()) throw await directoryError(file, displayFile);
    return await readFile(file, "utf8");
  } catch (error) {
    if (ConfigError.isInstance(error)) throw error;
    throw filesystemError(error, file, displayFile);
  }
}

/** The path relative to the working directory when it is inside it, as compilers print paths. */
export function displayPath(file: string, cwd: string): string {
  const relativePath = relative(cwd, file);
  return relativePath !== "" && !relativePath.startsWith("..") && !isAbsolute(relativePath)
    ? relativePath
    : file;
}

async function entryExists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (error) {
    if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") return false;
    // Anything else (EACCES on a parent directory) is for readConfigFile to explain.
    return true;
  }
}

async function notFoundError(
  file: string,
  displayFile: string,
  configPathFrom: string,
): Promise<ConfigError> {
  const siblings = await readdir(dirname(file)).catch((): string[] => []);
  const yamlSiblings = siblings.filter((name) => /\.ya?ml$/i.test(name));
  const closest = didYouMean(basename(file), yamlSiblings);
  const issue = toConfigIssue(
    { path: [], summary: "the configuration file does not exist" },
    undefined,
  );
  if (closest !== undefined) {
    issue.suggestion = join(dirname(displayFile), closest);
    issue.message += ` (did you mean "${issue.suggestion}"?)`;
  }
  return new ConfigError({
    code: "config.not_found",
    file,
    displayFile,
    issues: [issue],
    hint:
      `Check the path given as ${configPathFrom}, or leave it out to use orkestra.yaml from ` +
      "the working directory (or the built-in defaults when there is none).",
  });
}

async function directoryError(file: string, displayFile: string): Promise<ConfigError> {
  const inside = await readdir(file).catch((): string[] => []);
  const candidate = DEFAULT_CONFIG_FILES.find((name) => inside.includes(name));
  const issue = toConfigIssue(
    { path: [], summary: "this is a directory, not a configuration file" },
    undefined,
  );
  if (candidate !== undefined) {
    issue.suggestion = join(displayFile, candidate);
    issue.message += ` (did you mean "${issue.suggestion}"?)`;
  }
  return new ConfigError({
    code: "config.unreadable",
    file,
    displayFile,
    issues: [issue],
    hint: "Pass the path of the YAML file itself, for example --config path/to/orkestra.yaml.",
  });
}

function filesystemError(error: unknown, file: string, displayFile: string): ConfigError {
  const code = errorCode(error);
  const reasons: Record<string, [summary: string, hint: string]> = {
    EACCES: [
      "permission denied: the file cannot be read",
      `Give the user running Orkestra read access, for example: chmod u+r ${displayFile}`,
    ],
    EPERM: [
      "operation not permitted: the file cannot be read",
      "Check the file's permissions and any security policy (SELinux, AppArmor) that guards it.",
    ],
    ELOOP: [
      "too many levels of symbolic links (a symlink loop)",
      `Point the symlink at a real file: ls -l ${displayFile}`,
    ],
    ENOENT: [
      "the configuration file does not exist (it disappeared while being read, or is a dangling symlink)",
      "Check the path and, for a symlink, its target.",
    ],
  };
  const [summary, hint] = reasons[code ?? ""] ?? [
    `the file cannot be read (${error instanceof Error ? error.message : String(error)})`,
    "Check that the path names a readable YAML file.",
  ];
  return new ConfigError({
    code: code === "ENOENT" ? "config.not_found" : "config.unreadable",
    file,
    displayFile,
    issues: [toConfigIssue({ path: [], summary }, undefined)],
    hint,
    cause: error,
  });
}

function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error
    ? String((error as { code: unknown }).code)
    : undefined;
}
