#!/usr/bin/env node
// The layer rules of docs/architecture.md as data, and the Biome overrides that enforce them.
// `node scripts/layer-rules.mjs --write` rewrites the overrides in biome.json; the test
// test/meta/layer-rules.test.ts fails when biome.json and this table disagree.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Each layer of src/ and the layers it may import; arrows only point down. */
export const LAYERS = {
  errors: [],
  observability: ["errors"],
  config: ["errors", "observability"],
  store: ["errors", "observability"],
  models: ["errors", "observability", "config", "store"],
  queue: ["errors", "observability", "config", "store", "models"],
  consensus: ["errors", "observability", "config", "store", "models"],
  engine: ["errors", "observability", "config", "store", "models", "queue", "consensus"],
  coding: ["errors", "observability", "config", "store", "models", "queue", "consensus", "engine"],
  testing: ["errors", "observability", "config", "store", "models"],
  server: [
    "errors",
    "observability",
    "config",
    "store",
    "models",
    "queue",
    "consensus",
    "engine",
    "coding",
  ],
  cli: [
    "errors",
    "observability",
    "config",
    "store",
    "models",
    "queue",
    "consensus",
    "engine",
    "coding",
    "server",
    "testing",
  ],
};

/**
 * Layers that are entry points and may also import the modules at the root of src/
 * (index.ts, orkestra.ts, store-schema.ts: the assembly of every layer).
 */
export const ENTRY_LAYERS = new Set(["cli", "server"]);

/**
 * Folder depth below a layer that the rules cover (src/models/budget/x.ts is depth 2). A file
 * deeper than this is not checked; test/meta/layer-rules.test.ts fails if one appears.
 */
export const MAX_DEPTH = 6;

/**
 * Biome matches import specifiers, not resolved files, so each rule is spelt for the depth of
 * the importing file: from src/store/sqlite/x.ts the root is `../../`, and `../index.js` is the
 * store's own index while `../../index.js` is the package's.
 */
export function layerOverrides() {
  const overrides = [];
  for (const [layer, allowed] of Object.entries(LAYERS)) {
    const forbidden = Object.keys(LAYERS).filter(
      (other) => other !== layer && !allowed.includes(other),
    );
    const may = allowed.length === 0 ? "nothing outside itself" : allowed.join(", ");
    const rootNote = ENTRY_LAYERS.has(layer) ? "" : " nor the package root (src/*.ts, `orkestra`)";
    for (let depth = 1; depth <= MAX_DEPTH; depth += 1) {
      const up = "../".repeat(depth);
      const group = forbidden.map((other) => `${up}${other}/**`);
      if (!ENTRY_LAYERS.has(layer)) group.push(`${up}*.js`, "orkestra", "orkestra/**");
      if (group.length === 0) continue;
      const files = `src/${layer}/${"*/".repeat(depth - 1)}*`;
      overrides.push({
        includes: [files],
        linter: {
          rules: {
            style: {
              noRestrictedImports: {
                level: "error",
                options: {
                  patterns: [
                    {
                      group,
                      message: `Layer rule (docs/architecture.md): src/${layer}/ may import only ${may}${rootNote}. Move the shared piece down a layer or invert the dependency.`,
                    },
                  ],
                },
              },
            },
          },
        },
      });
    }
  }
  return overrides;
}

const biomeJson = fileURLToPath(new URL("../biome.json", import.meta.url));

/** biome.json with its overrides replaced by the generated ones. */
export function biomeConfigWithLayerRules() {
  const config = JSON.parse(readFileSync(biomeJson, "utf8"));
  return { ...config, overrides: layerOverrides() };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes("--write")) {
  writeFileSync(biomeJson, `${JSON.stringify(biomeConfigWithLayerRules(), null, 2)}\n`);
  process.stdout.write("biome.json: layer rules written\n");
}
