#!/usr/bin/env node
/**
 * Bundles tsc's output into dist/bundle/: the package's three entry points (the library, its
 * test helpers and the CLI) with the libraries they import, split into shared chunks.
 * `npm run build` runs it after tsc: `node scripts/bundle.mjs [dist directory]`.
 *
 * Why: a start of `orkestra ask` loaded 729 modules, 424 of them Kysely's, zod's and yaml's
 * files, and spent most of its 250 ms finding, reading and linking them; bundled, the same
 * command loads 43 of the bundle's files (131 files in all, with pino's and better-sqlite3's). Code a command imports with `import()` (a command's action, a
 * provider's package) stays in its own chunk, loaded when first used, as before.
 *
 * One copy: the library, orkestra/testing and the CLI share their chunks, so a workflow module
 * that imports "orkestra" while `orkestra run` loads it gets the very classes the CLI uses.
 *
 * Left out of the bundle and loaded from node_modules: native addons (better-sqlite3), packages
 * that start worker threads or load files by path at run time (pino and its transports, pg's
 * optional native binding), and those loaded with `require` on purpose (pino-pretty, croner).
 *
 * Every chunk sits directly in dist/bundle/, two levels below the package root like tsc's
 * dist/<layer>/ files, so the `new URL("../../…", import.meta.url)` paths in src/ (package.json,
 * examples/, bin/) resolve the same from both.
 *
 * dist/bundle/modules.json lists, for each output file, the dist/ modules in it: what a test or
 * a person needs to tell which of Orkestra's modules a start loaded.
 */
import { writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const EXTERNAL = ["better-sqlite3", "pg", "pino", "pino-pretty", "croner"];

const ENTRY_POINTS = {
  index: "index.js",
  testing: "testing/index.js",
  cli: "cli/main.js",
};

/** Bundles `distDirectory` (tsc's output) into `<distDirectory>/bundle`. */
export async function bundle(distDirectory) {
  const dist = resolve(distDirectory);
  const outdir = join(dist, "bundle");
  const result = await build({
    entryPoints: Object.fromEntries(
      Object.entries(ENTRY_POINTS).map(([name, path]) => [name, join(dist, path)]),
    ),
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    external: EXTERNAL,
    // Class and function names stay what src/ calls them: error names, stack traces, logs.
    keepNames: true,
    // Chained to tsc's maps: with --enable-source-maps a stack trace names src/*.ts lines.
    sourcemap: "linked",
    // CommonJS packages inside the bundle (commander, yaml's dependencies) `require` Node's
    // built-ins; an ES module has no `require` of its own.
    banner: {
      js: 'import { createRequire as __orkestraCreateRequire } from "node:module"; const require = __orkestraCreateRequire(import.meta.url);',
    },
    metafile: true,
    logLevel: "warning",
  });
  const modules = {};
  for (const [output, facts] of Object.entries(result.metafile.outputs)) {
    if (output.endsWith(".map")) continue;
    modules[relative(outdir, resolve(output))] = Object.keys(facts.inputs)
      .map((input) => resolve(input))
      .map((input) =>
        input.startsWith(dist) ? relative(dist, input) : relative(process.cwd(), input),
      )
      .sort();
  }
  await writeFile(join(outdir, "modules.json"), `${JSON.stringify(modules, null, 1)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await bundle(process.argv[2] ?? "dist");
}
