import * as tf from '@tensorflow/tfjs-core';
import { defineRegularizerPlugin, regularizerModule, z, type PrepareContext, type Regularizer } from '@selfkd/core';
import { csKdLoss } from './cs-kd-loss.js';
import { PairedClassSampler } from './paired-class-sampler.js';

export const csKdOptions = z.strictObject({
  /** Softmax temperature `T` of the KL (the loss is scaled by T²). */
  temperature: z.number().finite().positive().default(4),
});

export type CsKdOptions = z.infer<typeof csKdOptions>;

export const plugin = defineRegularizerPlugin<CsKdOptions>({
  type: 'cs-kd',
  description: 'CS-KD: T²·KL between the predictions of an anchor and of a same-class partner (detached), with the paired-class sampler (Yun et al. 2020)',
  options: csKdOptions,
  ownsSampler: true,
  defaultWeight: () => 1,
  create: ({ temperature, weight, name }): Regularizer<tf.Tensor2D> => ({
    type: 'cs-kd',
    name,
    weight,
    createSampler: (request) => new PairedClassSampler(request),
    prepare: (ctx) => pairLogits(ctx, name),
    loss: (ctx, pair) => csKdLoss(ctx.logits, pair, temperature),
  }),
});

/**
 * The partners' logits from a forward pass in training mode (BatchNorm uses the pair half's own
 * statistics, as the reference's second `net(x[B:])` call does). `prepare` runs outside the
 * gradient tape, so the result is a constant of the step: the reference's `torch.no_grad()`.
 */
function pairLogits(ctx: PrepareContext, name: string): tf.Tensor2D {
  const extra = ctx.extra;
  if (!extra || extra.labels.length !== ctx.labels.length) {
    throw new Error(
      `${name}: each batch must hold one same-class partner after every anchor (${ctx.labels.length} anchors, ` +
        `${extra ? extra.labels.length : 'no'} extra rows); CS-KD only works with its own paired-class sampler`,
    );
  }
  extra.labels.forEach((label, i) => {
    if (label !== ctx.labels[i]) throw new Error(`${name}: partner ${i} has label ${label}, its anchor has ${ctx.labels[i]}`);
  });
  return ctx.forward(extra.x, true).logits;
}

export const module = regularizerModule(plugin);
