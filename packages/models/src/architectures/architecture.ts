import type * as tfl from '@tensorflow/tfjs-layers';
import type { z } from '@selfkd/core';
import type { ModelSpec } from '../spec.js';

/**
 * One model family of the catalog: its options and how to build its backbone. The head (a dense
 * layer to numClasses) is the same for every family and is added by createModel.
 */
export interface Architecture<Options extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly description: string;
  /** Strict, with every default filled in. */
  readonly options: Options;
  /**
   * Builds the layers from `input` to the penultimate features `[B, C]`. The layer producing
   * them must be named FEATURES_LAYER. Throws an Error naming the option when the options do
   * not fit the spec (e.g. more poolings than the image size allows).
   */
  buildFeatures(input: tfl.SymbolicTensor, options: z.output<Options>, spec: ModelSpec): tfl.SymbolicTensor;
  /**
   * The named intermediate outputs ("taps") a regularizer may read, each the output of one layer
   * that `buildFeatures` makes: tap name → layer name. Known from the options alone, so a config
   * asking for a tap the model lacks is rejected before anything is built.
   */
  taps(options: z.output<Options>): Record<string, string>;
}
