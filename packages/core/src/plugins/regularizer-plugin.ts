import type { z } from 'zod';
import type { Regularizer } from '../regularizer.js';

/** What a plugin may know about the config it is instantiated in. */
export interface PluginEnv {
  /** `type` of every regularizer in the config, in config order (this one included). */
  readonly types: readonly string[];
}

/** Options every regularizer entry accepts besides its own. */
export interface CommonRegularizerOptions {
  weight: number;
  name: string;
}

/**
 * A regularizer, as a plugin package contributes it (through `pluginModule({ regularizers })`).
 * The built-ins use exactly this public contract.
 */
export interface RegularizerPlugin<Options extends object = Record<string, unknown>> {
  /** The config's `type` value, e.g. "sd-dropout". */
  readonly type: string;
  readonly description: string;
  /** A strict zod object of the plugin's own options, with defaults (not `type`, `weight`, `name`). */
  readonly options: z.ZodType<Options>;
  /**
   * Options of a small valid entry, for plugins whose defaults alone are not (a required option):
   * what the conformance suite runs on a small mlp. Leave out when `{}` is valid.
   */
  readonly exampleOptions?: Record<string, unknown>;
  /**
   * The `model:` entry the conformance suite trains this plugin on, for plugins that need a model
   * the default small mlp is not (e.g. convolutional taps); keep it tiny. Leave out for the mlp.
   */
  readonly exampleModel?: { name: string } & Record<string, unknown>;
  /** The weight used when the config gives none. */
  defaultWeight(env: PluginEnv): number;
  /** True when the plugin supplies the batch sampler; two such plugins in one config conflict. */
  readonly ownsSampler?: boolean;
  /** Names of the model taps an entry with these options reads; validation checks the model has them. */
  taps?(options: Options): readonly string[];
  /** Message explaining why this plugin cannot run with the others, or undefined when it can. */
  checkCombination?(env: PluginEnv): string | undefined;
  create(options: Options & CommonRegularizerOptions, env: PluginEnv): Regularizer;
}

/** Identity helper that gives plugin authors type inference for their options. */
export function defineRegularizerPlugin<O extends object>(plugin: RegularizerPlugin<O>): RegularizerPlugin<O> {
  return plugin;
}
