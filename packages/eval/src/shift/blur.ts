import * as tf from '@tensorflow/tfjs-core';

/** Gaussian blur with standard deviation `sigma` pixels, kernel truncated at 3σ, borders mirrored. */
export function gaussianBlur(pixels: tf.Tensor4D, sigma: number): tf.Tensor4D {
  if (!(sigma > 0)) throw new Error(`gaussian blur sigma must be > 0, got ${sigma}`);
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const weights = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = weights.reduce((a, b) => a + b, 0);
  const taps = weights.map((w) => w / total);
  // Separable: the outer product of the 1-D taps is the 2-D Gaussian.
  return convolve(pixels, Float32Array.from(taps.flatMap((wy) => taps.map((wx) => wy * wx))), radius);
}

/**
 * Defocus (lens) blur: the mean over a disk of `radius` pixels, i.e. every offset (dy, dx)
 * with dy² + dx² ≤ radius², borders mirrored.
 */
export function defocusBlur(pixels: tf.Tensor4D, radius: number): tf.Tensor4D {
  if (!(radius >= 1)) throw new Error(`defocus blur radius must be ≥ 1 pixel, got ${radius}`);
  const reach = Math.floor(radius);
  const size = 2 * reach + 1;
  const disk = new Float32Array(size * size);
  for (let dy = -reach; dy <= reach; dy++) {
    for (let dx = -reach; dx <= reach; dx++) if (dy * dy + dx * dx <= radius * radius) disk[(dy + reach) * size + dx + reach] = 1;
  }
  const inside = disk.reduce((a, b) => a + b, 0);
  return convolve(pixels, disk.map((w) => w / inside), reach);
}

/** Each channel convolved with the same square kernel of side 2·radius+1, with symmetric (mirror) padding. */
function convolve(pixels: tf.Tensor4D, kernel: Float32Array, radius: number): tf.Tensor4D {
  const [, height, width, channels] = pixels.shape;
  if (radius > height || radius > width) {
    throw new Error(`a blur reaching ${radius} pixels needs images of at least ${radius}×${radius}, got ${height}×${width}`);
  }
  const side = 2 * radius + 1;
  return tf.tidy(() => {
    const padded = tf.mirrorPad(pixels, [[0, 0], [radius, radius], [radius, radius], [0, 0]], 'symmetric');
    const filter = tf.tile(tf.tensor4d(kernel, [side, side, 1, 1]), [1, 1, channels, 1]);
    return tf.clipByValue(tf.depthwiseConv2d(padded, filter as tf.Tensor4D, 1, 'valid'), 0, 1);
  });
}
