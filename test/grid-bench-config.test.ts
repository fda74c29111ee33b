import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '@selfkd/core';
import { dropConflictingCombinations, expandRuns, loadBenchConfig } from '@selfkd/bench';
import { buildCatalog } from '@selfkd/cli';

const repoRoot = join(import.meta.dirname, '..');

describe('benchmarks/fashion-mnist-grid.yaml', () => {
  it('expands to the baseline, the SD-Dropout and PS-KD grid points and their pair, every run a valid training config', async () => {
    const { catalog } = await buildCatalog();
    const { config, skipped } = dropConflictingCombinations(loadBenchConfig(join(repoRoot, 'benchmarks/fashion-mnist-grid.yaml')), catalog.plugins);
    expect(skipped).toEqual([]);
    expect(config.combinations.map((c) => c.name)).toEqual([
      'baseline',
      ...[0.1, 0.3, 1].flatMap((w) => [1, 3, 5].map((t) => `sd-dropout[weight=${w},temperature=${t}]`)),
      'ps-kd[alphaT=0.3]',
      'ps-kd[alphaT=0.5]',
      'ps-kd[alphaT=0.8]',
      'sd-dropout+ps-kd',
    ]);
    const runs = expandRuns(config);
    expect(runs).toHaveLength(14 * 3);
    for (const run of runs) validateConfig(run.config, catalog, run.key);
  });
});
