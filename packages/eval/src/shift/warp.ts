import * as tf from '@tensorflow/tfjs-core';

/** Where output pixel (y, x) of image n samples from, as fractional (row, column) coordinates. */
export type SourceOf = (n: number, y: number, x: number) => [number, number];

/**
 * Resamples every image through `sourceOf` with nearest-neighbour lookup; outputs whose source
 * falls outside the image are black (0). One gather over all images, indices computed in JS.
 */
export function warpNearest(pixels: tf.Tensor4D, sourceOf: SourceOf): tf.Tensor4D {
  const [batch, height, width, channels] = pixels.shape;
  const outside = batch * height * width; // index of the appended black row
  const indices = new Int32Array(outside);
  for (let n = 0; n < batch; n++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const [sy, sx] = sourceOf(n, y, x);
        const row = Math.round(sy);
        const col = Math.round(sx);
        const inside = row >= 0 && row < height && col >= 0 && col < width;
        indices[(n * height + y) * width + x] = inside ? (n * height + row) * width + col : outside;
      }
    }
  }
  return tf.tidy(() => {
    const table = tf.concat([tf.reshape(pixels, [outside, channels]), tf.zeros([1, channels])]);
    return tf.reshape(tf.gather(table, tf.tensor1d(indices, 'int32')), pixels.shape);
  });
}
