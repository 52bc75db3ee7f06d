import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** One command line whose wall time from spawn to exit is measured. */
export interface StartupCommand {
  name: string;
  label: string;
  file: string;
  args: readonly string[];
  cwd: string;
}

/** The Node the project installs (the `node` devDependency), as `bin/orkestra.js` finds it. */
export function bundledNode(root: string): string {
  const installed = join(root, "node_modules", "node", "bin", "node");
  return existsSync(installed) ? installed : process.execPath;
}

/** What `#!/usr/bin/env node` picks in `env`: its version, or undefined when there is none. */
function pathNodeVersion(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return execFileSync("node", ["--version"], { env, encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
}

/**
 * The commands, from the repository `root`; `askDirectory` holds an orkestra.yaml with one
 * simulated model of zero latency, and its store.
 */
export function startupCommands(
  root: string,
  askDirectory: string,
  env: NodeJS.ProcessEnv,
): StartupCommand[] {
  const node = bundledNode(root);
  const bin = join(root, "bin", "orkestra.js");
  const pathNode = pathNodeVersion(env) ?? "none";
  const pathMajor = Number(pathNode.replace(/^v/, "").split(".")[0]);
  const shebang =
    pathMajor >= 22
      ? `its shebang runs the PATH's node ${pathNode}`
      : `its shebang runs the PATH's node ${pathNode}, which re-executes the bundled Node`;
  return [
    {
      name: "node -e 0",
      label: `bare start of the bundled Node ${process.version} (the baseline)`,
      file: node,
      args: ["-e", "0"],
      cwd: root,
    },
    {
      name: "node bin/orkestra.js --version",
      label: "the bundled Node runs bin/orkestra.js",
      file: node,
      args: [bin, "--version"],
      cwd: root,
    },
    {
      name: "node bin/orkestra.js --help",
      label: "the bundled Node runs bin/orkestra.js",
      file: node,
      args: [bin, "--help"],
      cwd: root,
    },
    {
      name: "node bin/orkestra.js ask",
      label:
        "ask -m sim: a simulated model with latencyMs [0, 0], SQLite store in its directory (already created)",
      file: node,
      args: [bin, "ask", "-m", "sim", "Say hello in five words."],
      cwd: askDirectory,
    },
    {
      name: "bin/orkestra.js --version",
      label: `bin/orkestra.js executed directly: ${shebang}`,
      file: bin,
      args: ["--version"],
      cwd: root,
    },
    {
      name: "npx orkestra --version",
      label: "npx in the repository, as the README's quickstart runs it",
      file: "npx",
      args: ["orkestra", "--version"],
      cwd: root,
    },
  ];
}
