import { dirname, resolve } from 'node:path';
import { ConfigError, readConfigFile, z, type ConfigIssue } from '@selfkd/core';
import { benchConfigSchema, combinationSchema, type BenchConfig } from './bench-config.js';
import { isPlainObject } from './deep-merge.js';

export interface ParseBenchConfigOptions {
  /** Where the config came from, for error messages. */
  source?: string;
  /** Folder `baseFile` is relative to (default: the current folder). */
  baseDir?: string;
}

/**
 * Validates a raw bench config (parsed YAML/JSON) and reads its `baseFile`. Every problem is
 * collected into one ConfigError naming the path, the value and what is allowed.
 */
export function parseBenchConfig(raw: unknown, options: ParseBenchConfigOptions = {}): BenchConfig {
  const source = options.source ?? 'bench config';
  const parsed = benchConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.flatMap((issue) => toIssues(issue, raw)), source);
  const { base, baseFile, baseline, ...rest } = parsed.data;
  let resolvedBase = base;
  if (baseFile !== undefined) {
    const loaded = readConfigFile(resolve(options.baseDir ?? '.', baseFile));
    if (!isPlainObject(loaded)) throw new ConfigError([{ path: 'baseFile', value: baseFile, message: 'the file must hold a training config (a YAML/JSON mapping)' }], source);
    resolvedBase = loaded;
  }
  return {
    ...rest,
    base: resolvedBase!,
    baseline: baseline ?? rest.combinations.find((c) => c.regularizers.length === 0)?.name ?? null,
  };
}

/** Reads and validates a bench config file; `baseFile` is relative to the file's folder. */
export function loadBenchConfig(path: string): BenchConfig {
  return parseBenchConfig(readConfigFile(path), { source: path, baseDir: dirname(path) });
}

function toIssues(issue: z.core.$ZodIssue, raw: unknown): ConfigIssue[] {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? p.toString() : p));
  if (issue.code === 'unrecognized_keys') {
    const allowed = Object.keys(path.length === 0 ? benchConfigSchema.shape : combinationSchema.shape).join(', ');
    return issue.keys.map((key) => ({
      path: formatPath([...path, key]),
      value: valueAt(raw, [...path, key]),
      message: `unknown key "${key}"; allowed keys: ${allowed}`,
    }));
  }
  return [{ path: formatPath(path), value: valueAt(raw, path), message: issue.message }];
}

function formatPath(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}
