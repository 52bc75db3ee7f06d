import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without type declarations
import { LAYERS, layerOverrides, MAX_DEPTH } from "../../scripts/layer-rules.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const biome = join(root, "node_modules", "@biomejs", "biome", "bin", "biome");
const layers = LAYERS as Record<string, string[]>;

/**
 * Lints `files` (path below the project root → source) with the project's biome.json, in a
 * scratch copy of the project's shape so nothing is written into src/.
 */
function lint(files: Record<string, string>): Map<string, string> {
  const scratch = mkdtempSync(join(tmpdir(), "orkestra-layers-"));
  scratches.push(scratch);
  const config = JSON.parse(readFileSync(join(root, "biome.json"), "utf8"));
  config.$schema = undefined;
  config.vcs = { enabled: false };
  writeFileSync(join(scratch, "biome.json"), JSON.stringify(config));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  }
  const results = new Map<string, string>();
  for (const path of Object.keys(files)) {
    const run = spawnSync(process.execPath, [biome, "lint", "--max-diagnostics=50", path], {
      cwd: scratch,
      encoding: "utf8",
    });
    results.set(path, run.status === 0 ? "ok" : `${run.stdout}${run.stderr}`);
  }
  return results;
}
const scratches: string[] = [];
afterAll(() => {
  for (const scratch of scratches) rmSync(scratch, { recursive: true, force: true });
});

const importing = (specifier: string) =>
  `import { value } from "${specifier}";\n\nexport const copy = value;\n`;

describe("the layer rules", () => {
  it("are what biome.json enforces (regenerate with node scripts/layer-rules.mjs --write)", () => {
    const config = JSON.parse(readFileSync(join(root, "biome.json"), "utf8"));
    expect(config.overrides).toEqual(layerOverrides());
  });

  it("fail the lint on an arrow that points up, at any depth, by path or by package name", () => {
    const wrong = {
      "src/store/a.ts": importing("../models/index.js"),
      "src/store/b.ts": importing("../orkestra.js"),
      "src/store/sqlite/c.ts": importing("../../orkestra.js"),
      "src/observability/d.ts": importing("../index.js"),
      "src/models/budget/e.ts": importing("orkestra"),
      "src/models/f.ts": importing("orkestra/testing"),
      "src/config/g.ts": importing("../store/index.js"),
      "src/testing/fake-provider/wire/h.ts": importing("../../../engine/index.js"),
      "src/engine/i.ts": importing("../cli/main.js"),
    };
    const results = lint(wrong);
    for (const [path, output] of results) {
      expect(output, path).toContain("Layer rule (docs/architecture.md)");
    }
  });

  it("let the allowed arrows through, and a folder's own index at depth", () => {
    const right = {
      "src/store/sqlite/a.ts": importing("../index.js"),
      "src/store/b.ts": importing("../observability/index.js"),
      "src/models/budget/c.ts": importing("../../store/index.js"),
      "src/cli/d.ts": importing("../orkestra.js"),
      "src/cli/e.ts": importing("../testing/index.js"),
      "src/engine/f.ts": importing("../models/index.js"),
    };
    for (const [path, output] of lint(right)) expect(output, path).toBe("ok");
  });

  it("cover every folder of src/ and every depth a file sits at", () => {
    const source = join(root, "src");
    const folders = readdirSync(source, { withFileTypes: true }).filter((entry) =>
      entry.isDirectory(),
    );
    for (const folder of folders) expect(Object.keys(layers)).toContain(folder.name);
    const files = readdirSync(source, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.(ts|js|mjs)$/.test(entry.name))
      .map((entry) => relative(source, join(entry.parentPath, entry.name)).split(sep));
    const deepest = Math.max(...files.map((parts) => parts.length - 1));
    expect(deepest).toBeLessThanOrEqual(MAX_DEPTH);
  });
});
