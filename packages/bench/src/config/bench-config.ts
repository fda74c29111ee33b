import { z } from '@selfkd/core';
import type { PlainObject } from './deep-merge.js';

/**
 * Names a folder (`runs/<name>/seed-<s>`), so it keeps to characters every file system accepts;
 * `[`, `]`, `=` and `,` let a grid point say its settings (`sd-dropout[weight=0.3,temperature=3]`).
 */
export const COMBINATION_NAME = /^[A-Za-z0-9][A-Za-z0-9._+\-[\]=,]*$/;
const COMBINATION_NAME_RULE = 'a combination name must start with a letter or digit and use only letters, digits and . _ + - [ ] = , (it names a folder)';

/** Keys a combination sets itself; overriding them would make the combination lie about what ran. */
const RESERVED_OVERRIDES = ['seed', 'regularizers'] as const;

const plainObject = z.record(z.string(), z.unknown());
const regularizerEntry = z.looseObject({ type: z.string().min(1) });

/** Every compatible subset of `regularizers` with at most `maxSize` members becomes a combination. */
export const generateSchema = z.strictObject({
  /** Regularizer entries as in a training config; a subset keeps their order and joins their names with "+". */
  regularizers: z.array(regularizerEntry).min(1),
  /** The largest subset (default: all of them). */
  maxSize: z.number().int().min(1).optional(),
  /** Add the empty subset, named "baseline" (default true). */
  baseline: z.boolean().default(true),
});

const GRID_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;

/** A grid value is a scalar, so that a point's name can say it. */
const gridValue = z.union([z.number().refine(Number.isFinite, 'a finite number'), z.boolean(), z.string().regex(/^[A-Za-z0-9._+-]+$/, 'a string of letters, digits and . _ + -')]);

/** The cartesian product of option values, applied to one combination (which its points replace). */
export const gridSchema = z.strictObject({
  /** The combination (listed or generated) the grid varies. */
  combination: z.string().min(1),
  /**
   * `<regularizer>.<option>` (a regularizer of the combination, by its `name` or else its `type`)
   * or a path in the training config (`train.optimizer.lr`), each with the values to try.
   */
  values: z.record(z.string(), z.array(gridValue).min(1)),
});

export const combinationSchema = z.strictObject({
  name: z
    .string()
    .regex(COMBINATION_NAME, COMBINATION_NAME_RULE),
  /** Regularizer entries exactly as in a training config; `[]` is the plain baseline. */
  regularizers: z.array(regularizerEntry),
  /** Deep-merged into the base training config for this combination only. */
  overrides: plainObject
    .superRefine((overrides, ctx) => {
      for (const key of RESERVED_OVERRIDES) {
        if (key in overrides) {
          ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is set by the bench (seeds and the combination's regularizers), not by overrides` });
        }
      }
    })
    .optional(),
  /** Combinations of one group (the points of one grid) are shown together in the reports. */
  group: z.string().regex(COMBINATION_NAME, COMBINATION_NAME_RULE).optional(),
});

/** One dataset and model of a bench with several: its own base config, runs folder, baseline and report section. */
export const suiteSchema = z.strictObject({
  /** Names the suite's folder (`<out>/<name>/`) and its report section. */
  name: z.string().regex(COMBINATION_NAME, COMBINATION_NAME_RULE),
  base: plainObject.optional(),
  baseFile: z.string().min(1).optional(),
});

/**
 * A benchmark: one base training config (or several `suites`), named regularizer combinations, the seeds every
 * combination runs with, and the eval section every run ends with. Strict: unknown keys are errors.
 */
export const benchConfigSchema = z
  .strictObject({
    /** The training config every run starts from (exactly one of `base` and `baseFile`). */
    base: plainObject.optional(),
    /** A YAML/JSON training config file, relative to the bench config's folder. */
    baseFile: z.string().min(1).optional(),
    /** Several datasets/models instead of `base`: every combination runs in each, compared with each one's own baseline. */
    suites: z.array(suiteSchema).min(1).optional(),
    /** Combinations listed by hand (the generated ones follow them). */
    combinations: z.array(combinationSchema).default([]),
    generate: generateSchema.optional(),
    grids: z.array(gridSchema).optional(),
    /** The combination the others are compared with; default: the first with no regularizers. */
    baseline: z.string().min(1).optional(),
    seeds: z.array(z.number().int().min(0)).min(1).default([0, 1, 2]),
    /** The eval section each run ends with (replaces the base config's `eval`). */
    eval: plainObject.optional(),
    /** Training processes at once; `--workers` wins, the default is the number of CPU cores. */
    workers: z.number().int().min(1).optional(),
  })
  .superRefine((config, ctx) => {
    const bases = [config.base, config.baseFile, config.suites].filter((b) => b !== undefined).length;
    if (bases !== 1) {
      const path = config.suites !== undefined ? 'suites' : config.base === undefined ? 'base' : 'baseFile';
      ctx.addIssue({ code: 'custom', path: [path], message: 'give exactly one of "base" (a training config), "baseFile" (a path to one) and "suites" (several)' });
    }
    const suiteNames = new Set<string>();
    config.suites?.forEach((suite, i) => {
      if ((suite.base === undefined) === (suite.baseFile === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['suites', i], message: 'give exactly one of "base" (a training config) and "baseFile" (a path to one)' });
      }
      if (suiteNames.has(suite.name)) ctx.addIssue({ code: 'custom', path: ['suites', i, 'name'], message: 'suite names must be unique' });
      suiteNames.add(suite.name);
    });
    if (config.combinations.length === 0 && config.generate === undefined) {
      ctx.addIssue({ code: 'custom', path: ['combinations'], message: 'list at least one combination, or give "generate"' });
    }
    config.grids?.forEach((grid, i) => {
      for (const [path, values] of Object.entries(grid.values)) {
        if (!GRID_PATH.test(path)) ctx.addIssue({ code: 'custom', path: ['grids', i, 'values', path], message: 'a grid key is a dotted option path such as sd-dropout.weight or train.optimizer.lr' });
        values.forEach((value, j) => {
          if (values.indexOf(value) !== j) ctx.addIssue({ code: 'custom', path: ['grids', i, 'values', path, j], message: 'grid values must not repeat' });
        });
      }
    });
    const names = new Map<string, number>();
    config.combinations.forEach((combination, i) => {
      const first = names.get(combination.name);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['combinations', i, 'name'], message: `combinations[${first}] already has this name; names must be unique` });
      }
      names.set(combination.name, i);
    });
    config.seeds.forEach((seed, i) => {
      if (config.seeds.indexOf(seed) !== i) ctx.addIssue({ code: 'custom', path: ['seeds', i], message: 'seeds must not repeat' });
    });
    // With `generate`, the baseline may be a generated combination: parsing checks it once they are made.
    if (config.generate === undefined && config.baseline !== undefined && !names.has(config.baseline)) {
      ctx.addIssue({ code: 'custom', path: ['baseline'], message: `no combination has this name; known: ${[...names.keys()].join(', ')}` });
    }
  });

export type BenchConfigInput = z.input<typeof benchConfigSchema>;
export type Combination = z.output<typeof combinationSchema>;
export type GenerateSpec = z.output<typeof generateSchema>;
export type GridSpec = z.output<typeof gridSchema>;

/** A combination the bench made from `generate` (or a grid point of one): dropped, not refused, when its regularizers conflict. */
export interface ExpandedCombination extends Combination {
  generated?: boolean;
  /** For a grid point: the value of each grid path (as the grid names it) at this point. */
  gridValues?: Record<string, GridSpec['values'][string][number]>;
}

/** A validated bench config with `baseFile` read, generated combinations and grids expanded, and the baseline resolved. */
export interface BenchConfig {
  base: PlainObject;
  combinations: ExpandedCombination[];
  /** Name of the combination others are compared with; null when none has an empty regularizer list. */
  baseline: string | null;
  seeds: number[];
  eval?: PlainObject;
  workers?: number;
}
