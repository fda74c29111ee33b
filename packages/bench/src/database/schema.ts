/**
 * The bench database. `runs` has one row per combination × seed with its status and provenance;
 * `metrics` and `epochs` hold what a finished run measured, written in the same transaction that
 * marks the run done, so a result is either wholly recorded or not at all. `result` keeps the whole
 * result.json (the reliability bins and anything the flattening leaves out).
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS combinations (
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  regularizers TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
  combination TEXT NOT NULL,
  seed INTEGER NOT NULL,
  config_hash TEXT NOT NULL,
  run_dir TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  pid INTEGER,
  backend TEXT,
  versions TEXT,
  node TEXT,
  started_at TEXT,
  finished_at TEXT,
  seconds REAL,
  error TEXT,
  result TEXT,
  PRIMARY KEY (combination, seed)
);
CREATE TABLE IF NOT EXISTS metrics (
  combination TEXT NOT NULL,
  seed INTEGER NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (combination, seed, name),
  FOREIGN KEY (combination, seed) REFERENCES runs (combination, seed) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS epochs (
  combination TEXT NOT NULL,
  seed INTEGER NOT NULL,
  epoch INTEGER NOT NULL,
  lr REAL,
  test_top1 REAL,
  test_nll REAL,
  train TEXT NOT NULL,
  seconds REAL,
  PRIMARY KEY (combination, seed, epoch),
  FOREIGN KEY (combination, seed) REFERENCES runs (combination, seed) ON DELETE CASCADE
);
`;
