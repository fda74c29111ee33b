import type * as tf from '@tensorflow/tfjs-core';
import { defineRegularizerPlugin, z, type Regularizer } from '@selfkd/core';
import { cutMixInputs, drawCutMix, type CutMixing } from './cutmix.js';
import { mixTargets } from './mix-targets.js';

export const cutMixOptions = z.strictObject({
  /** α of λ ~ Beta(α, α) before the box is cut; Self-KD-Lib's main.py uses 1 (λ uniform). */
  alpha: z.number().finite().positive().default(1),
});

export type CutMixOptions = z.infer<typeof cutMixOptions>;

/**
 * CutMix as an input transform with its matching target transform: a box of each anchor image is
 * replaced by the same box of its partner, and the target rows are mixed with λ = the fraction of
 * pixels kept. No loss term, so the weight is unused.
 */
export const cutMixPlugin = defineRegularizerPlugin<CutMixOptions>({
  type: 'cutmix',
  description: "CutMix: paste a random box of a partner image and mix the targets by area, λ ~ Beta(α, α) (Yun et al. 2019)",
  options: cutMixOptions,
  defaultWeight: () => 1,
  create: ({ alpha, weight, name }): Regularizer<CutMixing> => ({
    type: 'cutmix',
    name,
    weight,
    prepare: (ctx) => drawCutMix(ctx.x.shape, alpha, ctx.rng),
    transformInput: (x, _ctx, mixing) => cutMixInputs(x as tf.Tensor4D, mixing),
    transformTarget: (target, _ctx, mixing) => mixTargets(target, mixing),
  }),
});
