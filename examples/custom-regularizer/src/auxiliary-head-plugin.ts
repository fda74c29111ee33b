import * as tf from '@tensorflow/tfjs-core';
import { defineRegularizerPlugin, z, type Regularizer, type SetupContext, type StepContext } from '@selfkd/core';
import { auxiliaryHeadLoss, auxiliaryLogits, type AuxiliaryHeadWeights } from './auxiliary-head.js';

export const auxiliaryHeadOptions = z.strictObject({
  /** The model tap the head reads, e.g. `hidden1` (mlp), `block1` (cnn), `stage2` (resnet18). */
  tap: z.string().min(1),
  /** α: the share of the distillation term from the final logits. */
  alpha: z.number().min(0).max(1).default(0.5),
  /** Softmax temperature T of the distillation term (scaled by T²). */
  temperature: z.number().finite().positive().default(3),
});

export type AuxiliaryHeadOptions = z.infer<typeof auxiliaryHeadOptions>;

/**
 * A regularizer that trains its own classifier on an intermediate tap. Its weights are created in
 * `setup` (sized by the tap's shape, seeded by the run), trained with the model, saved in every
 * checkpoint by the trainer, and not part of the exported model.
 */
export class AuxiliaryHeadRegularizer implements Regularizer {
  readonly type = 'auxiliary-head';
  private head?: AuxiliaryHeadWeights;

  constructor(
    readonly name: string,
    readonly weight: number,
    private readonly options: AuxiliaryHeadOptions,
  ) {}

  setup(ctx: SetupContext): void {
    const shape = ctx.model.tapShapes[this.options.tap];
    if (!shape) {
      throw new Error(`${this.name}: the model has no tap "${this.options.tap}"; its taps: ${Object.keys(ctx.model.tapShapes).join(', ') || '(none)'}`);
    }
    this.dispose();
    const channels = shape[shape.length - 1]!;
    // PyTorch's default Linear initialisation, U(−1/√fanIn, 1/√fanIn), drawn from the run's generator.
    const bound = 1 / Math.sqrt(channels);
    const uniform = (size: number) => Float32Array.from({ length: size }, () => (2 * ctx.rng.next() - 1) * bound);
    this.head = {
      kernel: tf.variable(tf.tensor2d(uniform(channels * ctx.model.numClasses), [channels, ctx.model.numClasses])),
      bias: tf.variable(tf.tensor1d(uniform(ctx.model.numClasses))),
    };
  }

  trainableVariables(): tf.Variable[] {
    return this.head ? [this.head.kernel, this.head.bias] : [];
  }

  loss(ctx: StepContext): tf.Scalar {
    if (!this.head) throw new Error(`${this.name}: loss before setup; the trainer calls setup first`);
    const tap = ctx.taps[this.options.tap];
    if (!tap) throw new Error(`${this.name}: this step has no tap "${this.options.tap}"`);
    return auxiliaryHeadLoss(auxiliaryLogits(tap, this.head), ctx.logits, ctx.oneHot, this.options.alpha, this.options.temperature);
  }

  dispose(): void {
    if (this.head) tf.dispose([this.head.kernel, this.head.bias]);
    this.head = undefined;
  }
}

export const auxiliaryHeadPlugin = defineRegularizerPlugin<AuxiliaryHeadOptions>({
  type: 'auxiliary-head',
  description: 'An auxiliary classifier of its own on a model tap, learning from the labels and the final logits (BYOT, Zhang et al. 2019)',
  options: auxiliaryHeadOptions,
  // The example tap is an mlp's: say so, so that the conformance suite never pairs it with a convnet's example.
  exampleOptions: { tap: 'hidden1' },
  exampleModel: { name: 'mlp', hidden: [64, 32] },
  defaultWeight: () => 1,
  taps: ({ tap }) => [tap],
  create: ({ weight, name, ...options }) => new AuxiliaryHeadRegularizer(name, weight, options),
});
