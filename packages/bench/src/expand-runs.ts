import { join } from 'node:path';
import type { BenchConfig } from './config/bench-config.js';
import { configHash } from './config/config-hash.js';
import { deepMerge, type PlainObject } from './config/deep-merge.js';
import { runLogging } from './run-logging.js';

/** One training run of a benchmark: a combination at a seed. */
export interface RunSpec {
  combination: string;
  seed: number;
  /** `<combination>/seed-<seed>`: unique within a benchmark, used in messages. */
  key: string;
  /** The run folder, relative to the bench output folder. */
  dir: string;
  /** The raw training config of this run (validated by the caller's `validateRun`). */
  config: PlainObject;
  /** `configHash(config)`: a finished run is reused only while its config hash is unchanged. */
  hash: string;
}

export const RUNS_DIR = 'runs';

/**
 * Every combination × seed as a run config: the base config with the combination's overrides
 * deep-merged in, its regularizers, the seed, the bench's eval section, and its own logging
 * destinations when the base config has a `logging:` section. Ordered seed by seed,
 * so an interrupted sweep has whole seeds to compare, not whole combinations.
 */
export function expandRuns(config: BenchConfig): RunSpec[] {
  return config.seeds.flatMap((seed) =>
    config.combinations.map((combination) => {
      const merged = deepMerge(config.base, combination.overrides ?? {});
      const runConfig: PlainObject = {
        ...merged,
        ...(merged.logging === undefined ? {} : { logging: runLogging(merged.logging, combination.name, seed) }),
        seed,
        regularizers: structuredClone(combination.regularizers),
        ...(config.eval === undefined ? {} : { eval: structuredClone(config.eval) }),
      };
      return {
        combination: combination.name,
        seed,
        key: `${combination.name}/seed-${seed}`,
        dir: join(RUNS_DIR, combination.name, `seed-${seed}`),
        config: runConfig,
        hash: configHash(runConfig),
      };
    }),
  );
}
