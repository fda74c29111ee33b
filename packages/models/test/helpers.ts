import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@selfkd/core';
import type * as tfl from '@tensorflow/tfjs-layers';

export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Standard-normal images `[B, ...shape]` from a seeded generator. */
export function randomImages(batch: number, shape: readonly number[], seed: number): tf.Tensor4D {
  const rng = new Rng(seed);
  const size = batch * shape.reduce((a, b) => a * b, 1);
  const [height, width, channels] = shape as [number, number, number];
  return tf.tensor4d(Float32Array.from({ length: size }, () => rng.normal()), [batch, height, width, channels]);
}

/** Reads a tensor's values and disposes it. */
export function take(t: tf.Tensor): Float32Array {
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** A copy of every weight of a layer, by short name ('kernel', 'gamma', 'moving_mean', ...). */
export function layerWeights(layer: tfl.layers.Layer): Record<string, Float32Array> {
  return Object.fromEntries(
    layer.weights.map((w) => [w.originalName.split('/').pop()!, Float32Array.from(w.read().dataSync())]),
  );
}
