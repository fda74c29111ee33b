import { describe, expect, it } from 'vitest';
import { defineRegularizerPlugin, z, type RegularizerPlugin } from '@selfkd/core';
import { dropConflictingCombinations, expandRuns, parseBenchConfig } from '../src/index.js';
import { issuesOf } from './support/config-issues.js';

const base = { data: { name: 'mnist-digits' }, model: { name: 'mlp', hidden: [64] }, train: { epochs: 2, optimizer: { name: 'adam', lr: 0.001 } } };

/** A plugin with the conflict rules the real ones use, and nothing else. */
function plugin(type: string, rules: Partial<RegularizerPlugin> = {}): RegularizerPlugin {
  return defineRegularizerPlugin({
    type,
    description: type,
    options: z.strictObject({}) as z.ZodType<Record<string, unknown>>,
    defaultWeight: () => 1,
    create: () => {
      throw new Error('not trained here');
    },
    ...rules,
  });
}

describe('generate: every subset up to maxSize', () => {
  const generate = { regularizers: [{ type: 'sd-dropout' }, { type: 'cs-kd', temperature: 4 }, { type: 'ps-kd' }, { type: 'dlb' }], maxSize: 2 };

  it('lists the baseline, then each regularizer alone, then each pair in list order, with names that say what is in them', () => {
    const config = parseBenchConfig({ base, generate, seeds: [0] });
    expect(config.combinations.map((c) => c.name)).toEqual([
      'baseline',
      'sd-dropout',
      'cs-kd',
      'ps-kd',
      'dlb',
      'sd-dropout+cs-kd',
      'sd-dropout+ps-kd',
      'sd-dropout+dlb',
      'cs-kd+ps-kd',
      'cs-kd+dlb',
      'ps-kd+dlb',
    ]);
    expect(config.baseline).toBe('baseline');
    // Weights are left to the plugins' defaults for the company they are in (SD-Dropout's differs alone and combined).
    expect(config.combinations.find((c) => c.name === 'sd-dropout+cs-kd')!.regularizers).toEqual([{ type: 'sd-dropout' }, { type: 'cs-kd', temperature: 4 }]);
    expect(parseBenchConfig({ base, generate: { ...generate, maxSize: 9, baseline: false } }).combinations).toHaveLength(15);
  });

  it('skips the subsets the plugins say cannot run together, saying why, and keeps hand-listed ones for run validation', () => {
    const config = parseBenchConfig({ base, generate, combinations: [{ name: 'both-samplers', regularizers: [{ type: 'cs-kd' }, { type: 'dlb' }] }] });
    const plugins = [
      plugin('sd-dropout'),
      plugin('cs-kd', { ownsSampler: true }),
      plugin('dlb', { ownsSampler: true }),
      plugin('ps-kd', { checkCombination: (env) => (env.types.includes('sd-dropout') ? 'ps-kd keeps no second forward pass for sd-dropout' : undefined) }),
    ];
    const { config: kept, skipped } = dropConflictingCombinations(config, plugins);
    expect(skipped).toEqual([
      { name: 'sd-dropout+ps-kd', reason: 'ps-kd: ps-kd keeps no second forward pass for sd-dropout' },
      { name: 'cs-kd+dlb', reason: 'cs-kd and dlb each supply the batch sampler; at most one regularizer may own it' },
    ]);
    expect(kept.combinations.map((c) => c.name)).toContain('both-samplers');
    expect(kept.combinations).toHaveLength(config.combinations.length - 2);
  });

  it('lets a listed combination stand for the generated one it equals, and refuses a name clash', () => {
    const listed = { name: 'baseline', regularizers: [], overrides: { train: { epochs: 3 } } };
    const config = parseBenchConfig({ base, generate: { regularizers: [{ type: 'ps-kd' }] }, combinations: [listed] });
    expect(config.combinations).toEqual([listed, { name: 'ps-kd', regularizers: [{ type: 'ps-kd' }], generated: true }]);
    expect(issuesOf({ base, generate: { regularizers: [{ type: 'ps-kd' }] }, combinations: [{ name: 'ps-kd', regularizers: [{ type: 'ls' }] }] })).toContain(
      'combinations: two combinations (listed, generated or grid points) have this name; rename the listed one (got "ps-kd")',
    );
  });

  it('validates the generate section with the field, the value and what is allowed', () => {
    const message = issuesOf({ base, generate: { regularizers: [], maxSize: 0, size: 2 } });
    expect(message).toContain('generate.regularizers');
    expect(message).toContain('generate.maxSize');
    expect(message).toContain('generate.size: unknown key "size"; allowed keys: regularizers, maxSize, baseline');
    expect(issuesOf({ base })).toContain('combinations: list at least one combination, or give "generate"');
  });
});

describe('grids: the cartesian product of option values', () => {
  const combinations = [
    { name: 'baseline', regularizers: [] },
    { name: 'sd', regularizers: [{ type: 'sd-dropout', rate: 0.5 }], overrides: { train: { batchSize: 64 } } },
    { name: 'ls', regularizers: [{ type: 'label-smoothing' }] },
  ];
  const grids = [{ combination: 'sd', values: { 'sd-dropout.weight': [0.1, 1], 'sd-dropout.temperature': [1, 3], 'train.optimizer.lr': [0.01] } }];

  it('replaces the combination by its points, named by their settings, first path slowest, in one group', () => {
    const config = parseBenchConfig({ base, combinations, grids, seeds: [0] });
    expect(config.combinations.map((c) => c.name)).toEqual([
      'baseline',
      'sd[weight=0.1,temperature=1,train.optimizer.lr=0.01]',
      'sd[weight=0.1,temperature=3,train.optimizer.lr=0.01]',
      'sd[weight=1,temperature=1,train.optimizer.lr=0.01]',
      'sd[weight=1,temperature=3,train.optimizer.lr=0.01]',
      'ls',
    ]);
    expect(config.combinations.slice(1, 5).map((c) => c.group)).toEqual(['sd', 'sd', 'sd', 'sd']);
    expect(config.combinations[2]!.gridValues).toEqual({ 'sd-dropout.weight': 0.1, 'sd-dropout.temperature': 3, 'train.optimizer.lr': 0.01 });
    expect(config.combinations[5]!.gridValues).toBeUndefined();
    const point = expandRuns(config)[3]!;
    expect(point.config.regularizers).toEqual([{ type: 'sd-dropout', rate: 0.5, weight: 1, temperature: 1 }]);
    expect(point.config.train).toEqual({ epochs: 2, batchSize: 64, optimizer: { name: 'adam', lr: 0.01 } });
  });

  it('grids a generated combination too, and addresses a regularizer by its name', () => {
    const config = parseBenchConfig({
      base,
      generate: { regularizers: [{ type: 'ps-kd', name: 'pskd' }, { type: 'sd-dropout' }] },
      grids: [{ combination: 'pskd+sd-dropout', values: { 'pskd.alphaT': [0.3, 0.8] } }],
    });
    const points = config.combinations.filter((c) => c.group === 'pskd+sd-dropout');
    expect(points.map((c) => c.name)).toEqual(['pskd+sd-dropout[alphaT=0.3]', 'pskd+sd-dropout[alphaT=0.8]']);
    expect(points[1]!.regularizers).toEqual([{ type: 'ps-kd', name: 'pskd', alphaT: 0.8 }, { type: 'sd-dropout' }]);
    expect(points.every((p) => p.generated)).toBe(true);
  });

  it('rejects unknown paths, combinations, the baseline and repeated values, naming what is allowed', () => {
    const message = issuesOf({
      base,
      combinations,
      grids: [
        { combination: 'sd', values: { 'sd-dropuot.weight': [1], 'seed.x': [1] } },
        { combination: 'nope', values: { 'ls.epsilon': [0.1] } },
        { combination: 'baseline', values: { 'train.optimizer.lr': [0.1] } },
      ],
    });
    expect(message).toContain(
      'grids[0].values.sd-dropuot.weight: "sd-dropuot" is neither a regularizer of combination "sd" (sd-dropout) nor a section of the base training config a grid may vary (data, model, train) (got "sd-dropuot.weight")',
    );
    expect(message).toContain('grids[0].values.seed.x: "seed" is neither a regularizer');
    expect(message).toContain('grids[1].combination: no combination has this name; known: baseline, sd, ls (got "nope")');
    expect(message).toContain('grids[2].combination: the baseline is what every point is compared with');
    // Shapes are checked first: a bad key or a repeated value stops parsing before any grid is expanded.
    const shapes = issuesOf({ base, combinations, grids: [{ combination: 'ls', values: { 'label-smoothing.epsilon': [0.1, 0.1], weight: [1] } }] });
    expect(shapes).toContain('grids[0].values.label-smoothing.epsilon[1]: grid values must not repeat (got 0.1)');
    expect(shapes).toContain('grids[0].values.weight: a grid key is a dotted option path such as sd-dropout.weight or train.optimizer.lr (got [1])');
  });
});
