import * as tf from '@tensorflow/tfjs-core';
import { BranchedRegularizer, tapsOption } from '@selfkd/byot';
import { defineRegularizerPlugin, regularizerModule, z, type StepContext } from '@selfkd/core';
import { dksLoss } from './dks-loss.js';

/** Default: Self-KD-Lib's T 4 (its `main.py`); `methods/dks.py` weighs every term 1. */
export const dksOptions = z.strictObject({
  taps: tapsOption,
  temperature: z.number().finite().positive().default(4),
});

export type DksOptions = z.infer<typeof dksOptions>;

export class DksRegularizer extends BranchedRegularizer<DksOptions> {
  readonly type = 'dks';

  loss(ctx: StepContext): tf.Scalar {
    return tf.tidy(() => {
      const logits = this.branches.outputs(ctx.taps).map((b) => b.logits);
      return dksLoss(logits, ctx.logits, ctx.oneHot, this.options);
    });
  }
}

export const plugin = defineRegularizerPlugin<DksOptions>({
  type: 'dks',
  description: "DKS: a trainable bottleneck and classifier on each chosen tap; every exit, the model's included, learns from the labels and from every other exit (KL at T) (Sun et al. 2019)",
  options: dksOptions,
  // The deeper block: DKS also pulls the model's exit towards its branch's, and a branch on the
  // 4-channel block1 starts too far off for the suite's 15 steps to reach its accuracy bar.
  exampleOptions: { taps: ['block2'] },
  exampleModel: { name: 'cnn', channels: [4, 8], dense: 16 },
  defaultWeight: () => 1,
  taps: ({ taps }) => taps,
  create: ({ weight, name, ...options }) => new DksRegularizer(name, weight, options),
});

export const module = regularizerModule(plugin);
