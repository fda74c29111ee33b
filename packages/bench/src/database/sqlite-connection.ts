import { createRequire } from 'node:module';

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

/** Opens (creating if needed) the SQLite database file at `path`. */
export function openSqlite(path: string): SqliteConnection {
  const Database = require('better-sqlite3') as new (filename: string) => SqliteConnection;
  return new Database(path);
}
