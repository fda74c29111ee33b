import type { BenchConfig, Combination, ExpandedCombination } from '../config/bench-config.js';
import type { RunSpec } from '../expand-runs.js';
import type { MetricValue } from '@selfkd/core';
import type { EpochPoint, RunOutcome } from '../results/run-outcome.js';
import { SCHEMA_SQL } from './schema.js';
import { openSqlite, type SqliteConnection } from './sqlite-connection.js';

export type RunStatus = 'pending' | 'running' | 'done' | 'failed';

/** One row of the `runs` table. */
export interface RunRecord {
  combination: string;
  seed: number;
  configHash: string;
  /** Relative to the bench output folder. */
  runDir: string;
  status: RunStatus;
  attempts: number;
  /** Process id of the training while it runs (to stop it if the bench died and left it behind). */
  pid: number | null;
  backend: string | null;
  versions: Record<string, string> | null;
  node: string | null;
  /** ISO 8601: the first attempt's start, the successful attempt's end. */
  startedAt: string | null;
  finishedAt: string | null;
  seconds: number | null;
  error: string | null;
}

/** A finished run with everything it measured. */
export interface CompletedRun extends RunRecord {
  metrics: MetricValue[];
  epochs: EpochPoint[];
  result: Record<string, unknown>;
}

/** What the database knows of the benchmark definition (the latest one recorded). */
export interface RecordedBenchmark {
  combinations: Pick<ExpandedCombination, 'name' | 'regularizers' | 'group' | 'gridValues'>[];
  baseline: string | null;
  seeds: number[];
}

interface RunRow {
  combination: string;
  seed: number;
  config_hash: string;
  run_dir: string;
  status: RunStatus;
  attempts: number;
  pid: number | null;
  backend: string | null;
  versions: string | null;
  node: string | null;
  started_at: string | null;
  finished_at: string | null;
  seconds: number | null;
  error: string | null;
  result: string | null;
}

/**
 * The SQLite file of a benchmark (better-sqlite3, synchronous). WAL journal with full sync: a
 * committed transaction survives the bench being killed at any moment.
 */
export class BenchDatabase {
  readonly #db: SqliteConnection;

  private constructor(db: SqliteConnection) {
    this.#db = db;
  }

  static open(path: string): BenchDatabase {
    const db = openSqlite(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.exec(SCHEMA_SQL);
    return new BenchDatabase(db);
  }

  close(): void {
    this.#db.close();
  }

  /**
   * Records the benchmark definition (combinations in order, baseline, seeds) and adds a pending
   * row for every run not yet known. Existing rows, finished or not, are kept as they are.
   */
  recordBenchmark(config: BenchConfig, runs: readonly RunSpec[]): void {
    const setMeta = this.#db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    const addCombination = this.#db.prepare('INSERT INTO combinations (name, position, regularizers) VALUES (?, ?, ?)');
    const addRun = this.#db.prepare(
      "INSERT INTO runs (combination, seed, config_hash, run_dir, status) VALUES (?, ?, ?, ?, 'pending') ON CONFLICT (combination, seed) DO NOTHING",
    );
    this.#db.transaction(() => {
      setMeta.run('baseline', JSON.stringify(config.baseline));
      setMeta.run('seeds', JSON.stringify(config.seeds));
      // Kept in meta (not a column) so that databases written before groups and grid values existed open unchanged.
      setMeta.run('groups', JSON.stringify(Object.fromEntries(config.combinations.flatMap((c) => (c.group === undefined ? [] : [[c.name, c.group]])))));
      setMeta.run('gridValues', JSON.stringify(Object.fromEntries(config.combinations.flatMap((c) => (c.gridValues === undefined ? [] : [[c.name, c.gridValues]])))));
      this.#db.prepare('DELETE FROM combinations').run();
      config.combinations.forEach((c, i) => addCombination.run(c.name, i, JSON.stringify(c.regularizers)));
      for (const run of runs) addRun.run(run.combination, run.seed, run.hash, run.dir);
    })();
  }

  benchmark(): RecordedBenchmark {
    const meta = new Map((this.#db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const groups = JSON.parse(meta.get('groups') ?? '{}') as Record<string, string>;
    const gridValues = JSON.parse(meta.get('gridValues') ?? '{}') as Record<string, NonNullable<ExpandedCombination['gridValues']>>;
    const combinations = (this.#db.prepare('SELECT name, regularizers FROM combinations ORDER BY position').all() as { name: string; regularizers: string }[]).map(
      (r) => ({
        name: r.name,
        regularizers: JSON.parse(r.regularizers) as Combination['regularizers'],
        ...(groups[r.name] === undefined ? {} : { group: groups[r.name] }),
        ...(gridValues[r.name] === undefined ? {} : { gridValues: gridValues[r.name] }),
      }),
    );
    return {
      combinations,
      baseline: JSON.parse(meta.get('baseline') ?? 'null') as string | null,
      seeds: JSON.parse(meta.get('seeds') ?? '[]') as number[],
    };
  }

  runs(): RunRecord[] {
    return (this.#db.prepare('SELECT * FROM runs ORDER BY seed, combination').all() as RunRow[]).map(toRecord);
  }

  run(combination: string, seed: number): RunRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM runs WHERE combination = ? AND seed = ?').get(combination, seed) as RunRow | undefined;
    return row && toRecord(row);
  }

  /**
   * A new attempt starts: counts it (unless a job queue counts them, see addAttempts), remembers
   * the process, keeps the first start time.
   */
  markRunning(combination: string, seed: number, pid: number | null, countAttempt = true): void {
    this.#db
      .prepare(
        "UPDATE runs SET status = 'running', attempts = attempts + ?, pid = ?, started_at = COALESCE(started_at, ?), error = NULL WHERE combination = ? AND seed = ?",
      )
      .run(countAttempt ? 1 : 0, pid, new Date().toISOString(), combination, seed);
  }

  /** Records a finished run and everything it measured, all in one transaction. */
  markDone(combination: string, seed: number, outcome: RunOutcome): void {
    const addMetric = this.#db.prepare('INSERT INTO metrics (combination, seed, position, name, value) VALUES (?, ?, ?, ?, ?)');
    const addEpoch = this.#db.prepare(
      'INSERT INTO epochs (combination, seed, epoch, lr, test_top1, test_nll, train, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM metrics WHERE combination = ? AND seed = ?').run(combination, seed);
      this.#db.prepare('DELETE FROM epochs WHERE combination = ? AND seed = ?').run(combination, seed);
      outcome.metrics.forEach((m, i) => addMetric.run(combination, seed, i, m.name, m.value));
      for (const e of outcome.epochs) addEpoch.run(combination, seed, e.epoch, e.lr, e.testTop1, e.testNll, JSON.stringify(e.train), e.seconds);
      this.#db
        .prepare(
          `UPDATE runs SET status = 'done', pid = NULL, backend = ?, versions = ?, node = ?, finished_at = ?, seconds = ?, error = NULL, result = ?
           WHERE combination = ? AND seed = ?`,
        )
        .run(
          outcome.backend,
          outcome.versions && JSON.stringify(outcome.versions),
          outcome.node,
          new Date().toISOString(),
          outcome.seconds,
          JSON.stringify(outcome.result),
          combination,
          seed,
        );
    })();
  }

  /** Attempts counted by a job queue, which sees every attempt on every worker (a coordinator may miss some). */
  addAttempts(combination: string, seed: number, attempts: number): void {
    this.#db.prepare('UPDATE runs SET attempts = attempts + ? WHERE combination = ? AND seed = ?').run(attempts, combination, seed);
  }

  markFailed(combination: string, seed: number, error: string): void {
    this.#db.prepare("UPDATE runs SET status = 'failed', pid = NULL, error = ? WHERE combination = ? AND seed = ?").run(error, combination, seed);
  }

  /** An attempt was stopped on purpose (the bench was told to stop): the run waits for the next bench. */
  markPending(combination: string, seed: number): void {
    this.#db.prepare("UPDATE runs SET status = 'pending', pid = NULL WHERE combination = ? AND seed = ?").run(combination, seed);
  }

  /** Finished runs of the recorded benchmark's combinations and seeds, with their metrics and epochs. */
  completedRuns(): CompletedRun[] {
    const { combinations, seeds } = this.benchmark();
    const order = new Map(combinations.map((c, i) => [c.name, i]));
    const rows = (this.#db.prepare("SELECT * FROM runs WHERE status = 'done'").all() as RunRow[])
      .filter((r) => order.has(r.combination) && seeds.includes(r.seed))
      .sort((a, b) => order.get(a.combination)! - order.get(b.combination)! || a.seed - b.seed);
    const metricsOf = this.#db.prepare('SELECT name, value FROM metrics WHERE combination = ? AND seed = ? ORDER BY position');
    const epochsOf = this.#db.prepare('SELECT * FROM epochs WHERE combination = ? AND seed = ? ORDER BY epoch');
    return rows.map((row) => ({
      ...toRecord(row),
      metrics: metricsOf.all(row.combination, row.seed) as MetricValue[],
      epochs: (epochsOf.all(row.combination, row.seed) as EpochRow[]).map(toEpochPoint),
      result: JSON.parse(row.result ?? '{}') as Record<string, unknown>,
    }));
  }
}

interface EpochRow {
  epoch: number;
  lr: number | null;
  test_top1: number | null;
  test_nll: number | null;
  train: string;
  seconds: number | null;
}

function toEpochPoint(row: EpochRow): EpochPoint {
  return { epoch: row.epoch, lr: row.lr, testTop1: row.test_top1, testNll: row.test_nll, train: JSON.parse(row.train) as Record<string, number>, seconds: row.seconds };
}

function toRecord(row: RunRow): RunRecord {
  return {
    combination: row.combination,
    seed: row.seed,
    configHash: row.config_hash,
    runDir: row.run_dir,
    status: row.status,
    attempts: row.attempts,
    pid: row.pid,
    backend: row.backend,
    versions: row.versions === null ? null : (JSON.parse(row.versions) as Record<string, string>),
    node: row.node,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    seconds: row.seconds,
    error: row.error,
  };
}
