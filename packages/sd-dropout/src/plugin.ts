import { defineRegularizerPlugin, regularizerModule, z, type Regularizer } from '@selfkd/core';
import { KL_DIRECTIONS, sdDropoutLoss, type KlDirection } from './sd-dropout-loss.js';

export const sdDropoutOptions = z.strictObject({
  /** Dropout rate `p` on the penultimate features. */
  rate: z.number().min(0).lt(1).default(0.5),
  /** Softmax temperature `T` of the KL terms (the loss is scaled by T²). */
  temperature: z.number().finite().positive().default(3),
  direction: z.enum(KL_DIRECTIONS as [KlDirection, ...KlDirection[]]).default('both'),
  /** Stop the gradient through the target side of each KL (an ablation; the paper does not). */
  detach: z.boolean().default(false),
  /** Dropout draws; more than 2 averages the KL over all pairs. */
  samples: z.number().int().min(2).default(2),
});

export type SdDropoutOptions = z.infer<typeof sdDropoutOptions>;

/** λ of the paper: 1.0 alone, 0.1 in its combinations with another self-KD method. */
export const SD_DROPOUT_WEIGHT_ALONE = 1;
export const SD_DROPOUT_WEIGHT_COMBINED = 0.1;

export const plugin = defineRegularizerPlugin<SdDropoutOptions>({
  type: 'sd-dropout',
  description: 'SD-Dropout: T²-scaled symmetric KL between two dropout draws of the penultimate features through the shared head (Lee et al. 2022)',
  options: sdDropoutOptions,
  // The paper uses λ = 1 alone and λ = 0.1 next to another self-KD method; any other regularizer in
  // the config counts as a combination here.
  defaultWeight: (env) => (env.types.length > 1 ? SD_DROPOUT_WEIGHT_COMBINED : SD_DROPOUT_WEIGHT_ALONE),
  create: ({ weight, name, ...options }): Regularizer => ({
    type: 'sd-dropout',
    name,
    weight,
    // ctx.features are the anchors' only, so next to CS-KD the dropout pair comes from the anchor half.
    loss: (ctx) => sdDropoutLoss(ctx.features, ctx.head, options, ctx.rng),
  }),
});

export const module = regularizerModule(plugin);
