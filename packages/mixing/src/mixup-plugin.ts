import { defineRegularizerPlugin, z, type Regularizer } from '@selfkd/core';
import { mixTargets, type BatchMixing } from './mix-targets.js';
import { drawMixup, mixupInputs } from './mixup.js';

export const mixupOptions = z.strictObject({
  /** α of λ ~ Beta(α, α); 0 means λ = 0.5. Self-KD-Lib's main.py uses 0.4. */
  alpha: z.number().finite().nonnegative().default(0.4),
});

export type MixupOptions = z.infer<typeof mixupOptions>;

/**
 * Mixup as an input transform with its matching target transform: the draw made in `prepare` mixes
 * the anchors before the forward pass and the target rows after it, so the task loss becomes
 * `λ·CE(z, y) + (1 − λ)·CE(z, y[perm])`. No loss term, so the weight is unused.
 */
export const mixupPlugin = defineRegularizerPlugin<MixupOptions>({
  type: 'mixup',
  description: 'Mixup: train on λ·x + (1 − λ)·x[perm] against the same mixture of targets, λ ~ Beta(α, α) (Zhang et al. 2018)',
  options: mixupOptions,
  defaultWeight: () => 1,
  create: ({ alpha, weight, name }): Regularizer<BatchMixing> => ({
    type: 'mixup',
    name,
    weight,
    prepare: (ctx) => drawMixup(ctx.labels.length, alpha, ctx.rng),
    transformInput: (x, _ctx, mixing) => mixupInputs(x, mixing),
    transformTarget: (target, _ctx, mixing) => mixTargets(target, mixing),
  }),
});
