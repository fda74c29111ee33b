import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@selfkd/core';
import type { ImageSource } from '../runner/image-source.js';

/**
 * Synthetic noise images as in ODIN (Liang et al. 2018): every value i.i.d. N(0.5, 1) clipped to
 * [0, 1] (`gaussian`), or U[0, 1] (`uniform`). Image i depends only on (seed, name, i), so the
 * set is the same whatever the batch size.
 */
export function noiseImageSource(name: string, kind: 'gaussian' | 'uniform', size: number, inputShape: readonly number[], seed: number): ImageSource {
  const pixelsPerImage = inputShape.reduce((a, b) => a * b, 1);
  const draw = (rng: Rng) => (kind === 'gaussian' ? Math.min(1, Math.max(0, 0.5 + rng.normal())) : rng.next());
  return {
    name,
    size,
    batch(start, count) {
      const out = new Float32Array(count * pixelsPerImage);
      for (let i = 0; i < count; i++) {
        const rng = Rng.derive(seed, 'ood-noise', name, start + i);
        for (let p = 0; p < pixelsPerImage; p++) out[i * pixelsPerImage + p] = draw(rng);
      }
      return tf.tensor4d(out, [count, ...(inputShape as [number, number, number])]);
    },
  };
}
