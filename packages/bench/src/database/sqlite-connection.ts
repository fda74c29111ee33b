import { createRequire } from 'node:module';
import { InputError } from '@selfkd/core';

// better-sqlite3 ships no type declarations (and @types/better-sqlite3 is not a dependency):
// these are the members the bench uses, as its API documentation (v12) describes them.

export interface SqliteStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): SqliteConnection;
  pragma(source: string): unknown;
  /** Wraps `fn` so that each call runs in one transaction (rolled back if it throws). */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  close(): SqliteConnection;
}

const require = createRequire(import.meta.url);

const INSTALL_HINT =
  'install it where selfkd is installed (npm i -g better-sqlite3 next to a global selfkd, npm i better-sqlite3 in a project); ' +
  'it builds a native module, which needs a prebuilt binary for this platform or a C++ compiler';

/**
 * Opens (creating if needed) the SQLite database file at `path`. better-sqlite3 is an optional
 * dependency, loaded here, when a bench opens its database: a failed native build must not stop
 * anyone from training and evaluating, and only a bench pays for loading it.
 */
export function openSqlite(path: string): SqliteConnection {
  let Database: new (filename: string) => SqliteConnection;
  try {
    Database = require('better-sqlite3') as typeof Database;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' && e.message.includes("'better-sqlite3'")) {
      throw new InputError(`a bench records its runs in SQLite through the package better-sqlite3, which is not installed here: ${INSTALL_HINT}`);
    }
    throw err;
  }
  try {
    return new Database(path);
  } catch (err) {
    // The package is there but its compiled part is not (a build that failed or was skipped) or does not fit this Node.
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_DLOPEN_FAILED' || /bindings file|better_sqlite3\.node/.test(e.message)) {
      throw new InputError(`better-sqlite3 is installed but its native module does not load (${e.message.split('\n')[0]}): reinstall it (npm rebuild better-sqlite3), or ${INSTALL_HINT}`);
    }
    throw err;
  }
}
