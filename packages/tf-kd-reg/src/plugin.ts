import { defineRegularizerPlugin, regularizerModule, z, type Regularizer } from '@selfkd/core';
import { tfKdRegLoss } from './tf-kd-reg-loss.js';

/** Defaults: the authors' ResNet-18 / CIFAR-100 setting (experiments/base_experiments/base_resnet18). */
export const tfKdRegOptions = z.strictObject({
  temperature: z.number().finite().positive().default(20),
  correctProb: z.number().min(0).max(1).default(0.99),
  multiplier: z.number().finite().nonnegative().default(100),
});

export type TfKdRegOptions = z.infer<typeof tfKdRegOptions>;

/**
 * The weight is the reference's α (0.1 by default); its `(1 − α)·CE` is the config's
 * `task: { weight: 0.9 }`, which the README shows, since a regularizer cannot reweight the task.
 */
export const plugin = defineRegularizerPlugin<TfKdRegOptions>({
  type: 'tf-kd-reg',
  description: 'Tf-KD-reg: KL from a hand-designed virtual teacher (true class 0.99, softened by T) to the predictions; α·term with task weight 1 − α (Yuan et al. 2020)',
  options: tfKdRegOptions,
  defaultWeight: () => 0.1,
  create: ({ temperature, correctProb, multiplier, weight, name }): Regularizer => ({
    type: 'tf-kd-reg',
    name,
    weight,
    loss: (ctx) => tfKdRegLoss(ctx.logits, ctx.oneHot, { temperature, correctProb, multiplier }),
  }),
});

export const module = regularizerModule(plugin);
