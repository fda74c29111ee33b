import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfkd/core';
import { warpNearest } from './warp.js';

/** Rotates each image about its centre by ±`degrees` (sign drawn per image), nearest neighbour, black fill. */
export function rotate(pixels: tf.Tensor4D, degrees: number, rng: Rng): tf.Tensor4D {
  const [batch, height, width] = pixels.shape;
  const cy = (height - 1) / 2;
  const cx = (width - 1) / 2;
  const angles = Array.from({ length: batch }, () => ((rng.next() < 0.5 ? -1 : 1) * degrees * Math.PI) / 180);
  // Output (y, x) shows the source point rotated back by the image's angle.
  return warpNearest(pixels, (n, y, x) => {
    const cos = Math.cos(angles[n]!);
    const sin = Math.sin(angles[n]!);
    const dy = y - cy;
    const dx = x - cx;
    return [cy + cos * dy - sin * dx, cx + sin * dy + cos * dx];
  });
}

/**
 * Shifts each image by `fraction` of its size in a direction drawn uniformly per image
 * (rounded to whole pixels), black fill.
 */
export function translate(pixels: tf.Tensor4D, fraction: number, rng: Rng): tf.Tensor4D {
  const [batch, height, width] = pixels.shape;
  const shifts = Array.from({ length: batch }, () => {
    const direction = 2 * Math.PI * rng.next();
    return [Math.round(fraction * height * Math.sin(direction)), Math.round(fraction * width * Math.cos(direction))] as const;
  });
  return warpNearest(pixels, (n, y, x) => [y - shifts[n]![0], x - shifts[n]![1]]);
}

/**
 * Lowers the resolution to `scale` of each side by box averaging (each coarse pixel is the
 * area-weighted mean of the pixels it covers) and blows it back up with nearest neighbour, so
 * the image is made of visible blocks.
 */
export function pixelate(pixels: tf.Tensor4D, scale: number): tf.Tensor4D {
  if (!(scale > 0 && scale <= 1)) throw new Error(`pixelate scale must lie in (0, 1], got ${scale}`);
  const [batch, height, width, channels] = pixels.shape;
  // Down then up along one axis is one linear map, an n×n matrix; apply it to rows, then columns.
  return tf.tidy(() => {
    const rows = blockAverage(height, Math.max(1, Math.round(height * scale)));
    const cols = blockAverage(width, Math.max(1, Math.round(width * scale)));
    const channelsFirst = tf.transpose(pixels, [0, 3, 1, 2]); // [N, C, H, W]
    const flat = tf.reshape(channelsFirst, [batch * channels, height, width]);
    const mixed = tf.matMul(tf.matMul(tf.broadcastTo(rows, [batch * channels, height, height]), flat), cols, false, true);
    return tf.transpose(tf.reshape(mixed, [batch, channels, height, width]), [0, 2, 3, 1]) as tf.Tensor4D;
  });
}

/** The n×n matrix of box-averaging n samples down to `coarse`, then nearest-neighbour back up to n. */
function blockAverage(n: number, coarse: number): tf.Tensor2D {
  const span = n / coarse;
  const matrix = new Float32Array(n * n);
  for (let out = 0; out < n; out++) {
    const block = Math.min(coarse - 1, Math.floor(((out + 0.5) * coarse) / n));
    const [start, end] = [block * span, (block + 1) * span];
    for (let source = Math.floor(start); source < Math.min(n, Math.ceil(end)); source++) {
      const overlap = Math.min(end, source + 1) - Math.max(start, source);
      if (overlap > 0) matrix[out * n + source] = overlap / span;
    }
  }
  return tf.tensor2d(matrix, [n, n]);
}
