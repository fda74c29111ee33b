import * as tf from '@tensorflow/tfjs-core';
import { klDivBatchmean, stopGradient, type Rng } from '@selfkd/core';
import { dropoutMasks } from './dropout-masks.js';

/**
 * Which KL terms of a pair of dropout predictions `(z_i, z_j)`, `i < j`, enter the loss:
 * `forward` is `KL_T(z_i ‖ z_j)`, `reverse` is `KL_T(z_j ‖ z_i)`, `both` is their sum (the paper).
 */
export type KlDirection = 'both' | 'forward' | 'reverse';

export const KL_DIRECTIONS: readonly KlDirection[] = ['both', 'forward', 'reverse'];

/** The options of the loss once the dropout masks are fixed. */
export interface SdDropoutKlOptions {
  temperature: number;
  direction: KlDirection;
  /** Stop the gradient through the target side (the second argument) of every KL term (an ablation). */
  detach: boolean;
}

export interface SdDropoutLossOptions extends SdDropoutKlOptions {
  /** Dropout rate `p` on the penultimate features. */
  rate: number;
  /** Number of dropout draws (2 in the paper). */
  samples: number;
}

/** The classifier's last layer, shared with the clean forward pass: `head(f) = z`. */
export type Head = (features: tf.Tensor2D) => tf.Tensor2D;

/**
 * SD-Dropout (Lee et al. 2022): draws `samples` inverted-dropout masks on the penultimate
 * features, passes each dropped copy through the same head and returns
 * `T² · mean over pairs i<j of (KL_T(z_i ‖ z_j) + KL_T(z_j ‖ z_i))` (for `direction: both`).
 * With two samples this is exactly the paper's `T²·(KL(z1‖z2) + KL(z2‖z1))`. The result is
 * unweighted: multiply by λ yourself. Gradients reach the features and the head's weights.
 */
export function sdDropoutLoss(features: tf.Tensor2D, head: Head, options: SdDropoutLossOptions, seedOrRng: number | Rng): tf.Scalar {
  if (!Number.isInteger(options.samples) || options.samples < 2) {
    throw new RangeError(`samples must be an integer of at least 2 (one pair of dropout draws), got ${options.samples}`);
  }
  if (features.rank !== 2) throw new Error(`sdDropoutLoss: features must be [batch, channels], got shape [${features.shape}]`);
  return tf.tidy(() => {
    const masks = dropoutMasks([features.shape[0], features.shape[1]], options.rate, options.samples, seedOrRng);
    return sdDropoutLossFromMasks(features, head, masks, options);
  });
}

/**
 * The same loss with the dropout masks given (entries 0 or `1/(1 − p)`, one per draw), for
 * reproducing a reference computation exactly.
 */
export function sdDropoutLossFromMasks(
  features: tf.Tensor2D,
  head: Head,
  masks: readonly tf.Tensor2D[],
  { temperature, direction, detach }: SdDropoutKlOptions,
): tf.Scalar {
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new RangeError(`temperature must be a positive number, got ${temperature}`);
  if (!KL_DIRECTIONS.includes(direction)) {
    throw new RangeError(`direction must be one of ${KL_DIRECTIONS.join(', ')}, got ${JSON.stringify(direction)}`);
  }
  if (masks.length < 2) throw new RangeError(`masks must hold at least 2 dropout masks, got ${masks.length}`);
  masks.forEach((mask, i) => {
    if (mask.shape[0] !== features.shape[0] || mask.shape[1] !== features.shape[1]) {
      throw new Error(`masks[${i}] has shape [${mask.shape}], the features have shape [${features.shape}]`);
    }
  });
  const target = detach ? stopGradient : <T extends tf.Tensor>(z: T) => z;
  return tf.tidy(() => {
    // The head runs once per draw, as in the reference code: nothing in it sees the other draws.
    const logits = masks.map((mask) => head(tf.mul(features, mask)));
    const terms: tf.Scalar[] = [];
    for (let i = 0; i < logits.length; i++) {
      for (let j = i + 1; j < logits.length; j++) {
        if (direction !== 'reverse') terms.push(klDivBatchmean(logits[i]!, target(logits[j]!), temperature));
        if (direction !== 'forward') terms.push(klDivBatchmean(logits[j]!, target(logits[i]!), temperature));
      }
    }
    const pairs = (logits.length * (logits.length - 1)) / 2;
    return tf.mul(tf.addN(terms), (temperature * temperature) / pairs) as tf.Scalar;
  });
}
