import { isAbsolute, resolve } from "node:path";

/** Where Orkestra keeps its database and files when the configuration names no store. */
export function defaultStoreUrl(workspaceDir: string): string {
  return `sqlite:${resolve(workspaceDir, ".orkestra", "orkestra.db")}`;
}

/**
 * Makes a `sqlite:` path absolute against the workspace, so the same file is used whatever the
 * working directory of the process. `sqlite::memory:` and PostgreSQL URLs are left untouched.
 */
export function resolveStoreUrl(store: string | undefined, workspaceDir: string): string {
  if (store === undefined) return defaultStoreUrl(workspaceDir);
  if (!store.startsWith("sqlite:")) return store;
  const path = store.slice("sqlite:".length);
  if (path === ":memory:" || isAbsolute(path)) return store;
  return `sqlite:${resolve(workspaceDir, path)}`;
}
