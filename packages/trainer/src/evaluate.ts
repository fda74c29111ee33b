import * as tf from '@tensorflow/tfjs-core';
import { makeBatch, type Dataset, type SplitName } from '@selfkd/data';
import type { ClassifierModel } from '@selfkd/models';

export interface SplitMetrics {
  top1: number;
  nll: number;
}

/**
 * Top-1 accuracy and mean negative log-likelihood on a split, in eval mode (running BN statistics).
 * Asynchronous because a GPU backend (webgpu) can hand tensor values back only asynchronously.
 */
export async function evaluateSplit(model: ClassifierModel, dataset: Dataset, split: SplitName, batchSize: number): Promise<SplitMetrics> {
  const data = dataset[split];
  if (!data) throw new Error(`${dataset.name} has no ${split} split`);
  const { size, labels } = data;
  let correct = 0;
  let nllSum = 0;
  for (let start = 0; start < size; start += batchSize) {
    const indices = Int32Array.from({ length: Math.min(batchSize, size - start) }, (_, i) => start + i);
    // One read per batch: the hit count and the summed log-likelihood side by side.
    const counts = tf.tidy(() => {
      const logits = model.forward(makeBatch(dataset, split, indices), false).logits;
      const y = tf.tensor1d(indices.map((i) => labels[i]!), 'int32');
      const logProbs = tf.logSoftmax(logits);
      const picked = tf.sum(tf.mul(logProbs, tf.oneHot(y, model.numClasses)));
      const hit = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32'));
      return tf.stack([hit, picked]);
    });
    try {
      const [hits, picked] = await counts.data();
      correct += hits!;
      nllSum -= picked!;
    } finally {
      counts.dispose();
    }
  }
  return { top1: correct / size, nll: nllSum / size };
}
