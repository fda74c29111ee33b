import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { DatasetError } from '../errors.js';

/** A folder that may hold a dataset's files, and why it is searched (for messages and `source`). */
export interface SearchDir {
  dir: string;
  origin: string;
}

/** A found set of files: one path per requested file, all in `at.dir`. */
export interface FoundFiles {
  at: SearchDir;
  paths: string[];
}

/**
 * The user-given folders for a dataset, in search order: the config's `dataDir`, the loader's
 * `dataDir` (the CLI's --data-dir) — each as `<dir>/<folder>` then `<dir>` itself — then
 * `$SELFKD_DATA/<folder>`. `$SELFKD_DATA` is a root for all datasets, so only its sub-folder counts.
 */
export function userSearchDirs(folder: string, configDir: string | undefined, loaderDir: string | undefined): SearchDir[] {
  const dirs: SearchDir[] = [];
  for (const [dir, origin] of [
    [configDir, 'data.dataDir'],
    [loaderDir, '--data-dir'],
  ] as const) {
    if (!dir) continue;
    // A folder the user named but that is not there is a mistake to report, not a reason to read another copy.
    if (!existsSync(dir)) throw new DatasetError(`${origin} ${dir} does not exist`);
    dirs.push({ dir: join(dir, folder), origin }, { dir, origin });
  }
  const root = process.env.SELFKD_DATA;
  if (root) dirs.push({ dir: join(root, folder), origin: '$SELFKD_DATA' });
  return dirs;
}

/** The per-user download cache for a dataset: `$XDG_CACHE_HOME/selfkd/<folder>`, else `~/.cache/selfkd/<folder>`. */
export function cacheDir(folder: string): string {
  const xdg = process.env.XDG_CACHE_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return join(base, 'selfkd', folder);
}

/**
 * The first folder holding every requested file (each file given as alternative names, e.g. raw
 * or `.gz`). A folder with some of the files but not all is an error naming the missing ones:
 * reading a different copy instead would hide the mistake.
 */
export function findFiles(dataset: string, dirs: readonly SearchDir[], files: readonly string[][], fix: string): FoundFiles | undefined {
  for (const at of dirs) {
    const paths = files.map((names) => names.map((name) => join(at.dir, name)).find((path) => existsSync(path)));
    const missing = files.filter((_, i) => paths[i] === undefined);
    if (missing.length === 0) return { at, paths: paths as string[] };
    if (missing.length < files.length) {
      throw new DatasetError(
        `${dataset}: ${at.dir} (${at.origin}) holds only part of the dataset; missing ${missing.map((names) => names.join(' or ')).join(', ')}. ${fix}`,
      );
    }
  }
  return undefined;
}

export function describeDirs(dirs: readonly SearchDir[]): string {
  return dirs.length ? dirs.map((d) => `  - ${d.dir} (${d.origin})`).join('\n') : '  (no folders configured)';
}
