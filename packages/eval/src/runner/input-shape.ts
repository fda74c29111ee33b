import * as tf from '@tensorflow/tfjs-core';

/**
 * Brings images to the model's `[H, W, C]`: grey → colour by repeating the channel, colour →
 * grey by luma (ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B), then a bilinear resize (half-pixel
 * centres, as PIL and PyTorch's align_corners=False) when height or width differ.
 */
export function toInputShape(pixels: tf.Tensor4D, inputShape: readonly number[]): tf.Tensor4D {
  const [, height, width, channels] = pixels.shape;
  const [targetHeight, targetWidth, targetChannels] = inputShape as [number, number, number];
  return tf.tidy(() => {
    let x = pixels;
    if (channels !== targetChannels) {
      if (channels === 1 && targetChannels === 3) x = tf.tile(x, [1, 1, 1, 3]);
      else if (channels === 3 && targetChannels === 1) x = tf.sum(tf.mul(x, tf.tensor1d([0.299, 0.587, 0.114])), 3, true);
      else throw new Error(`cannot convert ${channels}-channel images to the model's ${targetChannels} channels; only 1 ↔ 3 is supported`);
    }
    if (height !== targetHeight || width !== targetWidth) {
      x = tf.clipByValue(tf.image.resizeBilinear(x, [targetHeight, targetWidth], false, true), 0, 1);
    }
    return x === pixels ? tf.clone(x) : x;
  });
}
