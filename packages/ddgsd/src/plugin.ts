import { defineRegularizerPlugin, regularizerModule, z, type Regularizer } from '@selfkd/core';
import { ddgsdLoss } from './ddgsd-loss.js';
import { TwoViewSampler } from './two-view-sampler.js';

/** Self-KD-Lib's defaults: T 4 (its `--T`) and the MMD weight 5e-4 written in `ddsgd.py`. */
export const ddgsdOptions = z.strictObject({
  temperature: z.number().finite().positive().default(4),
  mmdWeight: z.number().finite().nonnegative().default(5e-4),
});

export type DdgsdOptions = z.infer<typeof ddgsdOptions>;

/**
 * The reference halves the cross-entropy over both views; that is the config's
 * `task: { weight: 0.5 }`, which the README shows, since a regularizer cannot reweight the task.
 */
export const plugin = defineRegularizerPlugin<DdgsdOptions>({
  type: 'ddgsd',
  description: "DDGSD: two differently augmented views of each sample distil each other's predictions both ways, plus an MMD term on their features (Xu & Liu 2019)",
  options: ddgsdOptions,
  ownsSampler: true,
  defaultWeight: () => 1,
  create: ({ temperature, mmdWeight, weight, name }): Regularizer => ({
    type: 'ddgsd',
    name,
    weight,
    createSampler: (request) => new TwoViewSampler(request),
    loss: (ctx) => {
      const half = ctx.indices.length / 2;
      if (!Number.isInteger(half) || ctx.indices.subarray(0, half).some((v, i) => ctx.indices[half + i] !== v)) {
        throw new Error(`${name}: each batch must list its samples twice (two views); DDGSD only works with its own sampler`);
      }
      return ddgsdLoss(ctx.logits, ctx.features, { temperature, mmdWeight });
    },
  }),
});

export const module = regularizerModule(plugin);
