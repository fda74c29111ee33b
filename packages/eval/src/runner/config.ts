import { ConfigError, toConfigIssues, z } from '@selfkd/core';
import { CORRUPTION_NAMES, type CorruptionName } from '../shift/corruptions.js';
import { oodSetNameProblem } from '../ood/ood-sets.js';

const maxImages = z.number().int().min(1).nullable();
const epsilon = z.number().finite().min(0, 'ε must be ≥ 0 (an L∞ radius in pixel units of [0, 1])');

/**
 * The `eval:` section: which suite to run and how. Strict (unknown keys are errors) and fully
 * defaulted, so `{}` is a complete config. `maxImages: null` means the whole test set; smaller
 * caps take a seeded random subset (the same one across suites for the same cap).
 */
export const evalConfigSchema = z.strictObject({
  /** `basic` is classification only; `all` runs every suite. */
  suite: z.enum(['all', 'basic', 'calibration', 'adversarial', 'ood', 'shift']).default('all'),
  /** Images per forward pass. */
  batchSize: z.number().int().min(1).default(250),
  calibration: z
    .strictObject({
      /** Equal-width (lo, hi] bins of the main ECE; the PS-KD 10-bin ECE is always reported too. */
      bins: z.number().int().min(1).default(15),
    })
    .prefault({}),
  fgsm: z
    .strictObject({
      eps: z.array(epsilon).default([0.01, 0.02, 0.05, 0.1]),
      maxImages: maxImages.default(1000),
    })
    .prefault({}),
  /** `null` skips PGD. Defaults: ε = 8/255, 10 steps of 2/255, random start (Madry et al.). */
  pgd: z
    .strictObject({
      eps: epsilon.default(8 / 255),
      steps: z.number().int().min(1).default(10),
      stepSize: z.number().finite().positive().default(2 / 255),
      randomStart: z.boolean().default(true),
      maxImages: maxImages.default(500),
    })
    .nullable()
    .prefault({}),
  ood: z
    .strictObject({
      /** `gaussian-noise`, `uniform-noise`, a dataset name, or `DATASET@FOLDER` (that dataset's files in FOLDER). */
      sets: z
        .array(z.string().superRefine((name, ctx) => {
          const problem = oodSetNameProblem(name);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }))
        .default(['gaussian-noise', 'uniform-noise']),
      /** Cap on in-distribution test images and on each OOD set. */
      maxImages: maxImages.default(2000),
      odin: z
        .strictObject({
          temperature: z.number().finite().positive().default(1000),
          epsilon: epsilon.default(0.0014),
        })
        .prefault({}),
      /** Temperature of the energy score. */
      energyTemperature: z.number().finite().positive().default(1),
    })
    .prefault({}),
  shift: z
    .strictObject({
      corruptions: z.union([z.literal('all'), z.array(z.enum(CORRUPTION_NAMES as [CorruptionName, ...CorruptionName[]])).min(1)]).default('all'),
      severities: z
        .array(z.number().int().min(1).max(5))
        .min(1)
        .refine((s) => new Set(s).size === s.length, 'severities must not repeat')
        .default([1, 2, 3, 4, 5]),
      maxImages: maxImages.default(1000),
    })
    .prefault({}),
});

/** A validated eval config, every default filled in. */
export type EvalConfig = z.output<typeof evalConfigSchema>;
/** What a user may write: any field may be left out. */
export type EvalConfigInput = z.input<typeof evalConfigSchema>;
export type EvalSuite = EvalConfig['suite'];

/** Validates and fills defaults; throws a ConfigError listing every problem with its path under `eval`. */
export function parseEvalConfig(config: EvalConfigInput | undefined): EvalConfig {
  const parsed = evalConfigSchema.safeParse(config ?? {});
  if (parsed.success) return parsed.data;
  throw new ConfigError(toConfigIssues(parsed.error, evalConfigSchema, config ?? {}, ['eval']), 'eval config');
}
