import { dirname, resolve } from 'node:path';
import { assertNoForbiddenKeys, ConfigError, readConfigFile, toConfigIssues, type ConfigIssue } from '@selfkd/core';
import { benchConfigSchema, type BenchConfig } from './bench-config.js';
import { isPlainObject, type PlainObject } from './deep-merge.js';
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
  if (isPlainObject(raw) && raw.suites !== undefined) {
    throw new ConfigError([{ path: 'suites', value: raw.suites, message: 'this bench has several suites: read it with parseBenchSuites / loadBenchSuites' }], options.source ?? 'bench config');
  }
  return parseBenchSuites(raw, options)[0]!.config;
}

/** One dataset/model of a bench: `name` null for a bench with a single `base`. */
export interface BenchSuite {
  name: string | null;
  config: BenchConfig;
}

/**
 * A bench config with `suites:` as one BenchConfig per suite (the combinations, grids, seeds and
 * eval of the file applied to each suite's base, checked against it); without, the one config.
 */
export function parseBenchSuites(raw: unknown, options: ParseBenchConfigOptions = {}): BenchSuite[] {
  const source = options.source ?? 'bench config';
  assertNoForbiddenKeys(raw, source);
  const parsed = benchConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(toConfigIssues(parsed.error, benchConfigSchema, raw), source);
  const { base, baseFile, suites, ...shared } = parsed.data;
  if (suites === undefined) return [{ name: null, config: expandSuite(shared, readBase(base, baseFile, 'baseFile', options, source), source) }];
  return suites.map((suite, i) => ({
    name: suite.name,
    config: expandSuite(shared, readBase(suite.base, suite.baseFile, `suites[${i}].baseFile`, options, source), `${source} (suite ${suite.name})`),
  }));
}

type SharedSections = Omit<BenchConfigOutput, 'base' | 'baseFile' | 'suites'>;
type BenchConfigOutput = ReturnType<typeof benchConfigSchema.parse>;

function readBase(base: PlainObject | undefined, baseFile: string | undefined, path: string, options: ParseBenchConfigOptions, source: string): PlainObject {
  if (baseFile === undefined) return base!;
  const loaded = readConfigFile(resolve(options.baseDir ?? '.', baseFile));
  if (!isPlainObject(loaded)) throw new ConfigError([{ path, value: baseFile, message: 'the file must hold a training config (a YAML/JSON mapping)' }], source);
  assertNoForbiddenKeys(loaded, baseFile);
  return loaded;
}

function expandSuite(shared: SharedSections, resolvedBase: PlainObject, source: string): BenchConfig {
  const { baseline, combinations, generate, grids, ...rest } = shared;
  const issues: ConfigIssue[] = [];
  const expanded = expandCombinations({ combinations, generate, grids }, resolvedBase, baseline, issues);
  if (generate !== undefined && baseline !== undefined && !expanded.some((c) => c.name === baseline)) {
    issues.push({ path: 'baseline', value: baseline, message: `no combination has this name; known: ${expanded.map((c) => c.name).join(', ')}` });
  }
  if (issues.length > 0) throw new ConfigError(issues, source);
  return {
    ...rest,
    base: resolvedBase,
    combinations: expanded,
    baseline: baseline ?? expanded.find((c) => c.regularizers.length === 0)?.name ?? null,
  };
}

/** Reads and validates a bench config file; `baseFile` is relative to the file's folder. */
export function loadBenchConfig(path: string): BenchConfig {
  return parseBenchConfig(readConfigFile(path), { source: path, baseDir: dirname(path) });
}

/** Reads and validates a bench config file with or without `suites`; base files are relative to its folder. */
export function loadBenchSuites(path: string): BenchSuite[] {
  return parseBenchSuites(readConfigFile(path), { source: path, baseDir: dirname(path) });
}
