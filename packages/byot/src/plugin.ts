import * as tf from '@tensorflow/tfjs-core';
import { defineRegularizerPlugin, regularizerModule, z, type StepContext } from '@selfkd/core';
import { byotLoss } from './byot-loss.js';
import { BranchedRegularizer } from './branched-regularizer.js';
import { tapsOption } from './taps-option.js';

/** Defaults: Self-KD-Lib's BYOT (T 4 from its `main.py`, the hint's 0.5 · 0.1 from `methods/byot.py`). */
export const byotOptions = z.strictObject({
  taps: tapsOption,
  temperature: z.number().finite().positive().default(4),
  hintWeight: z.number().finite().nonnegative().default(0.05),
});

export type ByotOptions = z.infer<typeof byotOptions>;

export class ByotRegularizer extends BranchedRegularizer<ByotOptions> {
  readonly type = 'byot';

  loss(ctx: StepContext): tf.Scalar {
    return tf.tidy(() => byotLoss(this.branches.outputs(ctx.taps), ctx.logits, ctx.features, ctx.oneHot, this.options));
  }
}

export const plugin = defineRegularizerPlugin<ByotOptions>({
  type: 'byot',
  description: 'BYOT: a trainable bottleneck and classifier on each chosen tap, learning from the labels, the final logits (KL at T) and the final features (L2 hint) (Zhang et al. 2019)',
  options: byotOptions,
  exampleOptions: { taps: ['block1'] },
  exampleModel: { name: 'cnn', channels: [4, 8], dense: 16 },
  defaultWeight: () => 1,
  taps: ({ taps }) => taps,
  create: ({ weight, name, ...options }) => new ByotRegularizer(name, weight, options),
});

export const module = regularizerModule(plugin);
