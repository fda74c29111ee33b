import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * MLflow's RunStatus as its file store persists it (an integer in meta.yaml).
 * RUNNING 1, SCHEDULED 2, FINISHED 3, FAILED 4, KILLED 5.
 */
export const RunStatus = { running: 1, finished: 3, failed: 4 } as const;
const SOURCE_TYPE_LOCAL = 4;
const DEFAULT_EXPERIMENT = { id: '0', name: 'Default' };

/**
 * One run in an MLflow file store (the `mlruns` folder `mlflow ui --backend-store-uri DIR` and
 * `mlflow.set_tracking_uri("file:DIR")` read), written in the layout MLflow's FileStore uses:
 *
 *     DIR/<experiment id>/meta.yaml                    experiment: id, name, artifact_location, ...
 *     DIR/<experiment id>/<run id>/meta.yaml           run info: run_id, status, start/end time, ...
 *     DIR/<experiment id>/<run id>/metrics/<key>       one line per value: "<ms> <value> <step>"
 *     DIR/<experiment id>/<run id>/params/<key>        the value
 *     DIR/<experiment id>/<run id>/tags/<key>          the value
 *     DIR/<experiment id>/<run id>/artifacts/
 *
 * Keys may contain "/" (subfolders), as MLflow allows. Experiments are found by name; a new one
 * gets an id derived from its name, so parallel bench runs that create it at once agree on it.
 */
export class MlflowRunWriter {
  readonly runId = randomUUID().replaceAll('-', '');
  readonly experimentId: string;
  readonly runDir: string;
  private readonly startTime = Date.now();
  private pendingMetrics = new Map<string, string[]>();

  constructor(
    readonly storeDir: string,
    experimentName: string,
    readonly runName: string,
  ) {
    mkdirSync(join(storeDir, '.trash'), { recursive: true });
    ensureExperiment(storeDir, DEFAULT_EXPERIMENT.id, DEFAULT_EXPERIMENT.name);
    this.experimentId = findExperiment(storeDir, experimentName) ?? ensureExperiment(storeDir, idForName(experimentName), experimentName);
    this.runDir = join(storeDir, this.experimentId, this.runId);
    for (const sub of ['metrics', 'params', 'tags', 'artifacts']) mkdirSync(join(this.runDir, sub), { recursive: true });
    this.writeMeta(RunStatus.running, null);
    this.setTag('mlflow.runName', runName);
    this.setTag('mlflow.source.name', 'selfkd');
    this.setTag('mlflow.source.type', 'LOCAL');
    this.setTag('mlflow.user', currentUser());
  }

  logParam(key: string, value: string): void {
    // MLflow refuses params longer than its limit (6000 characters in 2.x, 500 before).
    writeKeyFile(join(this.runDir, 'params'), key, value.length > 500 ? `${value.slice(0, 497)}...` : value);
  }

  setTag(key: string, value: string): void {
    writeKeyFile(join(this.runDir, 'tags'), key, value);
  }

  /** Buffered until `flush()`: one append per metric file instead of one per value. */
  logMetric(key: string, value: number, step: number, timestamp = Date.now()): void {
    const lines = this.pendingMetrics.get(key) ?? [];
    lines.push(`${timestamp} ${formatValue(value)} ${step}\n`);
    this.pendingMetrics.set(key, lines);
  }

  flush(): void {
    const pending = this.pendingMetrics;
    this.pendingMetrics = new Map();
    for (const [key, lines] of pending) {
      const path = keyPath(join(this.runDir, 'metrics'), key);
      mkdirSync(resolve(path, '..'), { recursive: true });
      appendFileSync(path, lines.join(''));
    }
  }

  end(status: (typeof RunStatus)[keyof typeof RunStatus]): void {
    this.flush();
    this.writeMeta(status, Date.now());
  }

  private writeMeta(status: number, endTime: number | null): void {
    writeYamlAtomic(join(this.runDir, 'meta.yaml'), {
      artifact_uri: pathToFileURL(resolve(this.runDir, 'artifacts')).href,
      end_time: endTime,
      entry_point_name: '',
      experiment_id: this.experimentId,
      lifecycle_stage: 'active',
      run_id: this.runId,
      run_name: this.runName,
      run_uuid: this.runId,
      source_name: '',
      source_type: SOURCE_TYPE_LOCAL,
      source_version: '',
      start_time: this.startTime,
      status,
      tags: [],
      user_id: currentUser(),
    });
  }
}

/** Python's float() reads these; JavaScript spells infinity differently. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return String(value);
}

/** MLflow names: letters, digits, `_ - . / space`; anything else becomes `_`, and `..` segments are refused by MLflow. */
function keyPath(dir: string, key: string): string {
  const safe = key.replace(/[^A-Za-z0-9_\-./ ]/g, '_').replace(/\.\.+/g, '_').replace(/^\/+/, '');
  return join(dir, safe);
}

function writeKeyFile(dir: string, key: string, value: string): void {
  const path = keyPath(dir, key);
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(path, value);
}

function findExperiment(storeDir: string, name: string): string | undefined {
  for (const entry of readdirSync(storeDir)) {
    const meta = join(storeDir, entry, 'meta.yaml');
    if (existsSync(meta) && nameInMeta(readFileSync(meta, 'utf8')) === name) return entry;
  }
  return undefined;
}

/** Creates the experiment's folder and meta.yaml unless they exist; safe against a parallel creator. */
function ensureExperiment(storeDir: string, id: string, name: string): string {
  const dir = join(storeDir, id);
  const meta = join(dir, 'meta.yaml');
  if (existsSync(meta)) return id;
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  const tmp = `${meta}.tmp-${process.pid}-${randomUUID()}`;
  writeFileSync(
    tmp,
    toYaml({
      artifact_location: pathToFileURL(resolve(dir)).href,
      creation_time: now,
      experiment_id: id,
      last_update_time: now,
      lifecycle_stage: 'active',
      name,
    }),
  );
  try {
    linkSync(tmp, meta); // fails if another process made it first: theirs is kept
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(tmp, { force: true });
  }
  return id;
}

/** A stable numeric id (MLflow's ids are decimal strings) from the experiment name. */
function idForName(name: string): string {
  return String(parseInt(createHash('sha256').update(name).digest('hex').slice(0, 12), 16));
}

function writeYamlAtomic(path: string, value: Record<string, unknown>): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, toYaml(value));
  renameSync(tmp, path);
}

/** The flat YAML mappings MLflow's meta files are: strings single-quoted, numbers and null plain. */
function toYaml(value: Record<string, unknown>): string {
  return Object.entries(value)
    .map(([key, v]) => `${key}: ${Array.isArray(v) ? '[]' : yamlScalar(v)}\n`)
    .join('');
}

function yamlScalar(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** The `name:` of an experiment's meta.yaml, plain or quoted (MLflow itself writes it plain when it can). */
function nameInMeta(metaYaml: string): string | undefined {
  const raw = /^name: (.*)$/m.exec(metaYaml)?.[1]?.trim();
  if (raw === undefined) return undefined;
  if (raw.startsWith("'") && raw.endsWith("'")) return raw.slice(1, -1).replaceAll("''", "'");
  if (raw.startsWith('"')) return JSON.parse(raw) as string;
  return raw;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
