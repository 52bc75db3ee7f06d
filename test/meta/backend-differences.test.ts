import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../../src");
/** Backend folders spell their differences; everything else reads capabilities and the DDL helper. */
const BACKEND_FOLDERS = ["store/sqlite/", "store/postgres/"];
/** Where a store URL picks its backend folder: the one dispatch on the name, by design. */
const BACKEND_DISPATCH = "store/open-store.ts";
const BRANCH_ON_DIALECT =
  /dialect\s*[!=]==|[!=]==\s*\S*dialect\b|["'](?:sqlite|postgres)["']\s*[!=]==|[!=]==\s*["'](?:sqlite|postgres)["']/;

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("backend differences live in the backend folders", () => {
  it("no code outside src/store/sqlite and src/store/postgres branches on the dialect's name", () => {
    const offenders = sources(SRC)
      .map((path) => relative(SRC, path))
      .filter((path) => !BACKEND_FOLDERS.some((folder) => path.startsWith(folder)))
      .filter((path) => path !== BACKEND_DISPATCH)
      .filter((path) => BRANCH_ON_DIALECT.test(readFileSync(join(SRC, path), "utf8")));
    expect(offenders).toEqual([]);
  });
});
