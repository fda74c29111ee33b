import { ConfigError, toConfigIssues, z } from '@selfkd/core';
import { builtinEvalSuites } from '../suites/builtin-suites.js';
import type { adversarialSuite } from '../suites/adversarial-suite.js';
import type { calibrationSuite } from '../suites/calibration-suite.js';
import type { oodSuite } from '../suites/ood-suite.js';
import type { shiftSuite } from '../suites/shift-suite.js';
import type { EvalSuite } from './eval-suite.js';

/** The `eval.suite` value that runs the classification suite alone. */
const BASIC = 'basic';

/**
 * The schema of the `eval:` section for the given suites: which suite to run (`all`, `basic` for
 * classification alone, or a suite's name), the batch size, and every key each suite adds (its
 * options). Strict (unknown keys are errors) and fully defaulted, so `{}` is a complete config.
 */
export function evalConfigSchemaOf(suites: readonly EvalSuite[]): z.ZodObject {
  const owner = new Map<string, string>([
    ['suite', 'the evaluation runner'],
    ['batchSize', 'the evaluation runner'],
  ]);
  const shape: Record<string, z.ZodType> = {};
  for (const suite of suites) {
    for (const [key, schema] of Object.entries(suite.options.shape)) {
      const other = owner.get(key);
      if (other) throw new Error(`the evaluation suite "${suite.name}" adds the eval key "${key}", which ${other} already uses`);
      owner.set(key, `the suite "${suite.name}"`);
      shape[key] = schema;
    }
  }
  const names = suites.map((s) => s.name);
  const choices = ['all', ...(names.includes('classification') ? [BASIC] : []), ...names] as [string, ...string[]];
  return z.strictObject({
    /** `all` runs every loaded suite. */
    suite: z.enum(choices).default('all'),
    /** Images per forward pass. */
    batchSize: z.number().int().min(1).default(250),
    ...shape,
  });
}

/** The `eval:` schema of the built-in suites. */
export const evalConfigSchema = evalConfigSchemaOf(builtinEvalSuites);

type CalibrationSchema = (typeof calibrationSuite)['options'];
type AdversarialSchema = (typeof adversarialSuite)['options'];
type OodSchema = (typeof oodSuite)['options'];
type ShiftSchema = (typeof shiftSuite)['options'];

/** A validated eval config, every default filled in: the built-in suites' keys, typed, and any other suite's. */
export type EvalConfig = { suite: string; batchSize: number } & z.output<CalibrationSchema> &
  z.output<AdversarialSchema> &
  z.output<OodSchema> &
  z.output<ShiftSchema> &
  Record<string, unknown>;

/** What a user may write: any field may be left out (keys of third-party suites are checked when parsed). */
export type EvalConfigInput = { suite?: string; batchSize?: number } & z.input<CalibrationSchema> &
  z.input<AdversarialSchema> &
  z.input<OodSchema> &
  z.input<ShiftSchema> &
  Record<string, unknown>;

/** Validates and fills defaults; throws a ConfigError listing every problem with its path under `eval`. */
export function parseEvalConfig(config: EvalConfigInput | undefined, suites: readonly EvalSuite[] = builtinEvalSuites): EvalConfig {
  const schema = evalConfigSchemaOf(suites);
  const parsed = schema.safeParse(config ?? {});
  if (parsed.success) return parsed.data as EvalConfig;
  throw new ConfigError(toConfigIssues(parsed.error, schema, config ?? {}, ['eval']), 'eval config');
}

/** The suites `eval.suite` selects, in the order given. */
export function selectedSuites(suites: readonly EvalSuite[], choice: string): EvalSuite[] {
  if (choice === 'all') return [...suites];
  const name = choice === BASIC ? 'classification' : choice;
  return suites.filter((s) => s.name === name);
}
