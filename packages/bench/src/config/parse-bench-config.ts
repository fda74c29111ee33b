import { dirname, resolve } from 'node:path';
import { assertNoForbiddenKeys, ConfigError, readConfigFile, toConfigIssues, type ConfigIssue } from '@selfkd/core';
import { benchConfigSchema, type BenchConfig } from './bench-config.js';
import { isPlainObject } from './deep-merge.js';
import { expandCombinations } from './expand-combinations.js';

export interface ParseBenchConfigOptions {
  /** Where the config came from, for error messages. */
  source?: string;
  /** Folder `baseFile` is relative to (default: the current folder). */
  baseDir?: string;
}

/**
 * Validates a raw bench config (parsed YAML/JSON), reads its `baseFile` and expands `generate` and
 * `grids` into combinations. Every problem is collected into one ConfigError naming the path, the
 * value and what is allowed. Generated combinations whose regularizers conflict are still in the
 * result: `dropConflictingCombinations` removes them once the plugins are known.
 */
export function parseBenchConfig(raw: unknown, options: ParseBenchConfigOptions = {}): BenchConfig {
  const source = options.source ?? 'bench config';
  assertNoForbiddenKeys(raw, source);
  const parsed = benchConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(toConfigIssues(parsed.error, benchConfigSchema, raw), source);
  const { base, baseFile, baseline, combinations, generate, grids, ...rest } = parsed.data;
  let resolvedBase = base;
  if (baseFile !== undefined) {
    const loaded = readConfigFile(resolve(options.baseDir ?? '.', baseFile));
    if (!isPlainObject(loaded)) throw new ConfigError([{ path: 'baseFile', value: baseFile, message: 'the file must hold a training config (a YAML/JSON mapping)' }], source);
    assertNoForbiddenKeys(loaded, baseFile);
    resolvedBase = loaded;
  }
  const issues: ConfigIssue[] = [];
  const expanded = expandCombinations({ combinations, generate, grids }, resolvedBase!, baseline, issues);
  if (generate !== undefined && baseline !== undefined && !expanded.some((c) => c.name === baseline)) {
    issues.push({ path: 'baseline', value: baseline, message: `no combination has this name; known: ${expanded.map((c) => c.name).join(', ')}` });
  }
  if (issues.length > 0) throw new ConfigError(issues, source);
  return {
    ...rest,
    base: resolvedBase!,
    combinations: expanded,
    baseline: baseline ?? expanded.find((c) => c.regularizers.length === 0)?.name ?? null,
  };
}

/** Reads and validates a bench config file; `baseFile` is relative to the file's folder. */
export function loadBenchConfig(path: string): BenchConfig {
  return parseBenchConfig(readConfigFile(path), { source: path, baseDir: dirname(path) });
}
