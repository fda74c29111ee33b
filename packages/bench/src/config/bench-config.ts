import { z } from '@selfkd/core';
import type { PlainObject } from './deep-merge.js';

/** Names a folder (`runs/<name>/seed-<s>`), so it keeps to characters every file system accepts. */
export const COMBINATION_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** Keys a combination sets itself; overriding them would make the combination lie about what ran. */
const RESERVED_OVERRIDES = ['seed', 'regularizers'] as const;

const plainObject = z.record(z.string(), z.unknown());

export const combinationSchema = z.strictObject({
  name: z
    .string()
    .regex(COMBINATION_NAME, 'a combination name must start with a letter or digit and use only letters, digits, ".", "_", "+" and "-" (it names a folder)'),
  /** Regularizer entries exactly as in a training config; `[]` is the plain baseline. */
  regularizers: z.array(z.looseObject({ type: z.string().min(1) })),
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
});

/**
 * A benchmark: one base training config, named regularizer combinations, the seeds every
 * combination runs with, and the eval section every run ends with. Strict: unknown keys are errors.
 */
export const benchConfigSchema = z
  .strictObject({
    /** The training config every run starts from (exactly one of `base` and `baseFile`). */
    base: plainObject.optional(),
    /** A YAML/JSON training config file, relative to the bench config's folder. */
    baseFile: z.string().min(1).optional(),
    combinations: z.array(combinationSchema).min(1),
    /** The combination the others are compared with; default: the first with no regularizers. */
    baseline: z.string().min(1).optional(),
    seeds: z.array(z.number().int().min(0)).min(1).default([0, 1, 2]),
    /** The eval section each run ends with (replaces the base config's `eval`). */
    eval: plainObject.optional(),
    /** Training processes at once; `--workers` wins, the default is the number of CPU cores. */
    workers: z.number().int().min(1).optional(),
  })
  .superRefine((config, ctx) => {
    if ((config.base === undefined) === (config.baseFile === undefined)) {
      ctx.addIssue({ code: 'custom', path: [config.base === undefined ? 'base' : 'baseFile'], message: 'give exactly one of "base" (a training config) and "baseFile" (a path to one)' });
    }
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
    if (config.baseline !== undefined && !names.has(config.baseline)) {
      ctx.addIssue({ code: 'custom', path: ['baseline'], message: `no combination has this name; known: ${[...names.keys()].join(', ')}` });
    }
  });

export type BenchConfigInput = z.input<typeof benchConfigSchema>;
export type Combination = z.output<typeof combinationSchema>;

/** A validated bench config with `baseFile` read and the baseline resolved. */
export interface BenchConfig {
  base: PlainObject;
  combinations: Combination[];
  /** Name of the combination others are compared with; null when none has an empty regularizer list. */
  baseline: string | null;
  seeds: number[];
  eval?: PlainObject;
  workers?: number;
}
