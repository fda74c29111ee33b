import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@selfkd/core';

/**
 * `count` independent inverted-dropout masks of `shape`: each entry is 0 with probability `rate`
 * and `1/(1 − rate)` otherwise, so `features · mask` is exactly PyTorch's `F.dropout(features, rate)`
 * (and tfjs's `tf.dropout`). Every mask takes its own op seed from the generator, so one seed
 * gives the same masks on every backend that implements tfjs's seeded `randomUniform`.
 */
export function dropoutMasks(shape: readonly [number, number], rate: number, count: number, seedOrRng: number | Rng): tf.Tensor2D[] {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`rate must be in [0, 1), got ${rate}`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  const rng = typeof seedOrRng === 'number' ? new Rng(seedOrRng) : seedOrRng;
  return Array.from({ length: count }, () =>
    tf.tidy(() => {
      const uniform = tf.randomUniform([...shape], 0, 1, 'float32', rng.seedForOp());
      const keep = tf.cast(tf.greaterEqual(uniform, rate), 'float32');
      return tf.mul(keep, 1 / (1 - rate)) as tf.Tensor2D;
    }),
  );
}
