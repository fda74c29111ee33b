import * as tf from '@tensorflow/tfjs-core';
import { toInputShape } from './input-shape.js';

/** A finite list of images read a batch at a time, so a whole set never sits in memory as tensors. */
export interface ImageSource {
  readonly name: string;
  readonly size: number;
  /** Pixels in [0, 1], NHWC, images `start .. start+count−1`. The caller disposes the tensor. */
  batch(start: number, count: number): tf.Tensor4D;
}

/**
 * Images stored as bytes 0..255, NHWC at `shape` (a dataset split), converted per batch to the
 * model's input shape with {@link toInputShape}. `rows` picks and orders the images.
 */
export function byteImageSource(
  name: string,
  images: Uint8Array,
  shape: readonly [number, number, number],
  rows: Int32Array,
  inputShape: readonly number[],
): ImageSource {
  const pixelsPerImage = shape[0] * shape[1] * shape[2];
  return {
    name,
    size: rows.length,
    batch(start, count) {
      const out = new Float32Array(count * pixelsPerImage);
      for (let i = 0; i < count; i++) {
        const offset = rows[start + i]! * pixelsPerImage;
        for (let p = 0; p < pixelsPerImage; p++) out[i * pixelsPerImage + p] = images[offset + p]! / 255;
      }
      return tf.tidy(() => toInputShape(tf.tensor4d(out, [count, ...shape]), inputShape));
    },
  };
}
