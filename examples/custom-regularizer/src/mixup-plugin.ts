import type * as tf from '@tensorflow/tfjs-core';
import { defineRegularizerPlugin, z, type Regularizer } from '@selfkd/core';
import { drawMixup, mixRows, type MixupDraw } from './mixup.js';

export const mixupOptions = z.strictObject({
  /** α of the Beta(α, α) distribution of λ; 0.2 is the paper's choice for ImageNet-scale data. */
  alpha: z.number().finite().positive().default(0.2),
});

export type MixupOptions = z.infer<typeof mixupOptions>;

/**
 * Mixup as an input transform with its matching target transform: `prepare` draws λ and the
 * partners, `transformInput` mixes the anchors, `transformTarget` mixes the target rows the same
 * way, so the task loss is `λ·CE(y_b) + (1 − λ)·CE(y_partner)`. No loss term of its own.
 */
export const mixupPlugin = defineRegularizerPlugin<MixupOptions>({
  type: 'example-mixup',
  description: 'Mixup: trains on λ·x + (1 − λ)·x[perm] against the same mixture of targets, λ ~ Beta(α, α) (Zhang et al. 2018)',
  options: mixupOptions,
  defaultWeight: () => 1,
  create: ({ alpha, weight, name }): Regularizer<MixupDraw> => ({
    type: 'example-mixup',
    name,
    weight,
    prepare: (ctx) => drawMixup(ctx.labels.length, alpha, ctx.rng),
    transformInput: (x: tf.Tensor, _ctx, draw) => mixRows(x, draw),
    transformTarget: (target, _ctx, draw) => mixRows(target, draw),
  }),
});
