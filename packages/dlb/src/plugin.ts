import * as tf from '@tensorflow/tfjs-core';
import { defineRegularizerPlugin, regularizerModule, z, type Regularizer, type SerializedState } from '@selfkd/core';
import { dlbLoss } from './dlb-loss.js';
import { LastBatchSampler } from './last-batch-sampler.js';

/** T 3 and α 1, the paper's CIFAR setting (the reference script takes both on the command line). */
export const dlbOptions = z.strictObject({
  temperature: z.number().finite().positive().default(3),
});

export type DlbOptions = z.infer<typeof dlbOptions>;

/** The previous step's new chunk: its dataset indices and the logits its forward pass gave them. */
interface LastChunk {
  indices: Int32Array;
  logits: Float32Array;
}

export const plugin = defineRegularizerPlugin<DlbOptions>({
  type: 'dlb',
  description: "DLB: each batch repeats the previous step's new samples, which are distilled towards the predictions that step made for them (Shen et al. 2022)",
  options: dlbOptions,
  ownsSampler: true,
  defaultWeight: () => 1,
  create: ({ temperature, weight, name }) => createDlb(name, weight, temperature),
});

function createDlb(name: string, weight: number, temperature: number): Regularizer<tf.Tensor2D | undefined> {
  let last: LastChunk | undefined;
  /** Rows of the current batch carried over from the last step (the rest are new). */
  let carriedRows = 0;
  return {
    type: 'dlb',
    name,
    weight,
    createSampler: (request) => new LastBatchSampler(request, () => last?.indices),
    prepare: (ctx) => {
      carriedRows = last && sameStart(ctx.indices, last.indices) ? last.indices.length : 0;
      if (last && carriedRows === 0 && ctx.step > 0) {
        throw new Error(`${name}: the batch does not start with the previous step's ${last.indices.length} new samples; DLB only works with its own sampler`);
      }
      return carriedRows > 0 ? tf.tensor2d(last!.logits, [carriedRows, ctx.numClasses]) : undefined;
    },
    // The first step of a run has nothing to distil from: the term is 0 there, as the reference's CE-only step.
    loss: (ctx, lastLogits) => (lastLogits ? dlbLoss(tf.slice(ctx.logits, [0, 0], [carriedRows, -1]), lastLogits, temperature) : tf.scalar(0)),
    afterStep: async (ctx) => {
      const fresh = ctx.indices.length - carriedRows;
      const freshLogits = tf.slice(ctx.logits, [carriedRows, 0], [fresh, -1]);
      try {
        last = { indices: ctx.indices.slice(carriedRows), logits: (await freshLogits.data()) as Float32Array };
      } finally {
        freshLogits.dispose();
      }
    },
    state: (): SerializedState => (last ? { indices: last.indices, logits: last.logits } : { indices: null, logits: null }),
    loadState: (state) => {
      last = state.indices instanceof Int32Array && state.logits instanceof Float32Array ? { indices: state.indices, logits: state.logits } : undefined;
    },
  };
}

function sameStart(indices: Int32Array, start: Int32Array): boolean {
  return start.length <= indices.length && start.every((v, i) => indices[i] === v);
}

export const module = regularizerModule(plugin);
