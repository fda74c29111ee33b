import type { EvalSuiteContribution, z } from '@selfkd/core';
import type { SuiteContext } from './context.js';

/**
 * An evaluation suite as @selfkd/eval runs it: core's contribution with the context fixed. The
 * built-ins are written against exactly this contract and contributed by this package's `module`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of suites holds options of every shape
export type EvalSuite<Options = any, Part = unknown, Prepared = unknown> = EvalSuiteContribution<SuiteContext, Options, Part, Prepared>;

/** Identity helper that gives suite authors types: `run` gets the parsed options of `options`. */
export function defineEvalSuite<Schema extends z.ZodObject, Part, Prepared = undefined>(
  suite: Omit<EvalSuite<z.output<Schema>, Part, Prepared>, 'options'> & { options: Schema },
): EvalSuite<z.output<Schema>, Part, Prepared> {
  return suite;
}
