import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfkd/core';
import { sampleBeta } from './beta-distribution.js';
import { assertPartners, randomPartners, type BatchMixing } from './mix-targets.js';

/** Rows `[top, bottom)` and columns `[left, right)` of the image; may be empty. */
export interface CutBox {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** A CutMix draw: the pasted box, the partners it comes from and λ = the kept fraction of pixels. */
export interface CutMixing extends BatchMixing {
  box: CutBox;
}

/**
 * The box of CutMix's `rand_bbox` (Yun et al. 2019, as Self-KD-Lib's `cutmix.py`) for a drawn λ and
 * centre: side lengths `floor(side·√(1 − λ))`, spanning `centre ± floor(length / 2)`, clipped to the
 * image. So the box can be one pixel narrower than that length (odd lengths) and smaller at borders.
 */
export function cutBox(height: number, width: number, lambda: number, centerRow: number, centerCol: number): CutBox {
  const ratio = Math.sqrt(1 - lambda);
  const halfRows = Math.floor(Math.floor(height * ratio) / 2);
  const halfCols = Math.floor(Math.floor(width * ratio) / 2);
  const clip = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  return {
    top: clip(centerRow - halfRows, height),
    bottom: clip(centerRow + halfRows, height),
    left: clip(centerCol - halfCols, width),
    right: clip(centerCol + halfCols, width),
  };
}

/**
 * One CutMix draw for images `[B, H, W, C]`: λ ~ Beta(α, α), a uniform box centre and a random
 * permutation as partners, made into a mixing by `cutMixing`.
 */
export function drawCutMix(shape: readonly number[], alpha: number, rng: Rng): CutMixing {
  if (!(alpha > 0 && Number.isFinite(alpha))) throw new RangeError(`cutmix alpha must be a positive finite number, got ${alpha}`);
  const [rows, height, width] = imageShape(shape);
  const drawn = sampleBeta(alpha, alpha, rng);
  const centerRow = rng.int(height);
  const centerCol = rng.int(width);
  return cutMixing(shape, drawn, centerRow, centerCol, randomPartners(rows, rng));
}

/**
 * The mixing for a drawn λ and box centre: the box of `cutBox`, and λ reset to the fraction of
 * pixels outside it (the reference's "adjust lambda to exactly match pixel ratio").
 */
export function cutMixing(shape: readonly number[], drawnLambda: number, centerRow: number, centerCol: number, partners: Int32Array): CutMixing {
  const [rows, height, width] = imageShape(shape);
  assertPartners(rows, partners);
  const box = cutBox(height, width, drawnLambda, centerRow, centerCol);
  const area = (box.bottom - box.top) * (box.right - box.left);
  return { lambda: 1 - area / (height * width), partners, box };
}

/** Each image with the box's pixels replaced by those of its partner. */
export function cutMixInputs(x: tf.Tensor4D, { partners, box }: CutMixing): tf.Tensor4D {
  const [rows, height, width] = imageShape(x.shape);
  assertPartners(rows, partners);
  if (!(box.top >= 0 && box.top <= box.bottom && box.bottom <= height && box.left >= 0 && box.left <= box.right && box.right <= width)) {
    throw new RangeError(`cutmix: box ${JSON.stringify(box)} does not fit an image of ${height}×${width}`);
  }
  return tf.tidy(() => {
    const rowIn = tf.logicalAnd(tf.greaterEqual(tf.range(0, height), box.top), tf.less(tf.range(0, height), box.bottom));
    const colIn = tf.logicalAnd(tf.greaterEqual(tf.range(0, width), box.left), tf.less(tf.range(0, width), box.right));
    const inBox = tf.logicalAnd(tf.reshape(rowIn, [1, height, 1, 1]), tf.reshape(colIn, [1, 1, width, 1]));
    return tf.where(tf.broadcastTo(inBox, x.shape), tf.gather(x, partners), x) as tf.Tensor4D;
  });
}

function imageShape(shape: readonly number[]): [number, number, number] {
  if (shape.length !== 4) throw new RangeError(`cutmix needs image batches [B, H, W, C], got shape [${shape.join(', ')}]`);
  return [shape[0]!, shape[1]!, shape[2]!];
}
