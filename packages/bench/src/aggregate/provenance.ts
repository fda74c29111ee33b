import type { CompletedRun } from '../database/bench-database.js';
import { isPlainObject, type PlainObject } from '../config/deep-merge.js';
import { describeOptions } from '../config/describe-options.js';
import { cpuSecondsOf } from './cpu-seconds.js';

/**
 * Where the numbers come from, as the finished runs recorded it (result.json's `config`, `env`,
 * `cost.cpuSeconds`): each list holds the distinct values over runs, so a bench that mixed datasets,
 * backends or machines shows all of them.
 */
export interface Provenance {
  /** `fashion-mnist (train 2000, test 10000)`. */
  datasets: string[];
  /** `cnn(channels=[32,64], dense=128)`. */
  models: string[];
  epochs: number[];
  /** `wasm (@tensorflow/tfjs-backend-wasm + @selfkd/wasm-kernels)`. */
  backends: string[];
  /** `0.1.0 (core, trainer, …)`: each version of the `@selfkd` packages with the packages at it. */
  selfkd: string[];
  /** `4.22.0 (tfjs-core, tfjs-layers, …)`, the same for @tensorflow. */
  tfjs: string[];
  node: string[];
  /** `AMD EPYC 7B13 × 16 cores (linux-x64)`. */
  machines: string[];
  /** First start of a run to the last end (includes time the bench was stopped, if it was). */
  startedAt: string | null;
  finishedAt: string | null;
  wallSeconds: number | null;
  /** Sums over finished runs of the training processes' wall and CPU time (CPU only where recorded). */
  trainingSeconds: number;
  cpuSeconds: number | null;
}

export function provenance(runs: readonly CompletedRun[]): Provenance {
  const configs = runs.map((run) => (isPlainObject(run.result.config) ? run.result.config : {}));
  const envs = runs.map((run) => (isPlainObject(run.result.env) ? run.result.env : {}));
  const versions = envs.flatMap((env) => (isPlainObject(env.versions) ? Object.entries(env.versions).map(([name, v]): [string, string] => [name, String(v)]) : []));
  const starts = runs.flatMap((run) => (run.startedAt ? [run.startedAt] : [])).sort();
  const ends = runs.flatMap((run) => (run.finishedAt ? [run.finishedAt] : [])).sort();
  const startedAt = starts[0] ?? null;
  const finishedAt = ends[ends.length - 1] ?? null;
  const cpu = runs.flatMap((run) => cpuSecondsOf(run.result) ?? []);
  return {
    datasets: distinct(runs.map((_, i) => describeDataset(configs[i]!, envs[i]!))),
    models: distinct(configs.map((c) => (isPlainObject(c.model) ? describeOptions(c.model, 'name') : 'unknown'))),
    epochs: distinct(configs.flatMap((c) => (isPlainObject(c.train) && typeof c.train.epochs === 'number' ? [c.train.epochs] : []))).sort((a, b) => a - b),
    backends: distinct(envs.flatMap((env) => (typeof env.backend === 'string' ? [typeof env.provider === 'string' ? `${env.backend} (${env.provider})` : env.backend] : []))),
    selfkd: versionsOfScope(versions, '@selfkd/'),
    tfjs: versionsOfScope(versions, '@tensorflow/'),
    node: distinct(envs.flatMap((env) => (typeof env.node === 'string' ? [env.node] : []))),
    machines: distinct(envs.flatMap(describeMachine)),
    startedAt,
    finishedAt,
    wallSeconds: startedAt && finishedAt ? (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000 : null,
    trainingSeconds: runs.reduce((s, run) => s + (run.seconds ?? 0), 0),
    cpuSeconds: cpu.length ? cpu.reduce((s, v) => s + v, 0) : null,
  };
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** Packages of one scope grouped by version: `0.1.0 (core, trainer)`, in order of first appearance. */
function versionsOfScope(versions: readonly [string, string][], scope: string): string[] {
  const byVersion = new Map<string, Set<string>>();
  for (const [name, version] of versions) {
    if (!name.startsWith(scope)) continue;
    byVersion.set(version, (byVersion.get(version) ?? new Set()).add(name.slice(scope.length)));
  }
  return [...byVersion].map(([version, names]) => `${version} (${[...names].join(', ')})`);
}

function describeDataset(config: PlainObject, env: PlainObject): string {
  const data = isPlainObject(config.data) ? config.data : {};
  const name = typeof data.name === 'string' ? data.name : 'unknown';
  const splits = isPlainObject(env.splits) ? env.splits : {};
  const sizes = ['train', 'validation', 'test'].flatMap((split) => (typeof splits[split] === 'number' ? [`${split} ${splits[split]}`] : []));
  return sizes.length ? `${name} (${sizes.join(', ')})` : name;
}

function describeMachine(env: PlainObject): string[] {
  if (!isPlainObject(env.machine)) return [];
  const { cpu, cores } = env.machine;
  const platform = typeof env.platform === 'string' ? ` (${env.platform})` : '';
  return [`${String(cpu)} × ${String(cores)} cores${platform}`];
}
