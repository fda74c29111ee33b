import * as tf from '@tensorflow/tfjs-core';
import type { Parameters } from './parameters.js';

/** PyTorch's BatchNorm2d default. */
const BN_EPSILON = 1e-5;

/**
 * BatchNorm over the batch's statistics (biased variance), as in training mode. The self-teacher
 * only ever runs during training, so it keeps no running statistics.
 */
function batchNorm(x: tf.Tensor4D, params: Parameters, prefix: string): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const normalized = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BN_EPSILON)));
  return tf.add(tf.mul(normalized, params.get(`${prefix}.weight`)), params.get(`${prefix}.bias`));
}

function addBatchNorm(params: Parameters, prefix: string, channels: number): void {
  params.filled(`${prefix}.weight`, [channels], 1);
  params.filled(`${prefix}.bias`, [channels], 0);
}

/** The reference's `DepthConvBlock` with a 1×1 kernel: conv1×1 (no bias) → BN → ReLU (its depth is unused). */
export function createPointwiseBlock(params: Parameters, prefix: string, inChannels: number, outChannels: number): void {
  params.uniform(`${prefix}.conv.0.0.weight`, [1, 1, inChannels, outChannels], inChannels);
  addBatchNorm(params, `${prefix}.conv.0.1`, outChannels);
}

export function pointwiseBlock(x: tf.Tensor4D, params: Parameters, prefix: string): tf.Tensor4D {
  const y = conv1x1(x, params.get(`${prefix}.conv.0.0.weight`));
  return tf.relu(batchNorm(y, params, `${prefix}.conv.0.1`));
}

/**
 * A 1×1 convolution as a matrix product over all pixels: the same numbers as conv2d, but its
 * gradient runs on matMul, several times faster than the cpu backend's Conv2DBackpropFilter.
 */
function conv1x1(x: tf.Tensor4D, kernel: tf.Tensor): tf.Tensor4D {
  const [b, h, w, cin] = x.shape;
  const cout = kernel.shape[3]!;
  return tf.reshape(tf.matMul(tf.reshape(x, [b * h * w, cin]), tf.reshape(kernel, [cin, cout])), [b, h, w, cout]);
}

/**
 * The reference's `DepthConvBlock` with a 3×3 kernel and `depth` stages: [depthwise 3×3 → conv1×1 →
 * BN], then depth − 1 times [ReLU → depthwise 3×3 → conv1×1 → BN]; no ReLU at the end.
 */
export function createSeparableBlock(params: Parameters, prefix: string, inChannels: number, outChannels: number, depth: number): void {
  params.uniform(`${prefix}.conv.0.0.weight`, [3, 3, inChannels, 1], 9);
  params.uniform(`${prefix}.conv.0.1.weight`, [1, 1, inChannels, outChannels], inChannels);
  addBatchNorm(params, `${prefix}.conv.0.2`, outChannels);
  for (let d = 1; d < depth; d++) {
    params.uniform(`${prefix}.conv.${d}.1.weight`, [3, 3, outChannels, 1], 9);
    params.uniform(`${prefix}.conv.${d}.2.weight`, [1, 1, outChannels, outChannels], outChannels);
    addBatchNorm(params, `${prefix}.conv.${d}.3`, outChannels);
  }
}

export function separableBlock(x: tf.Tensor4D, params: Parameters, prefix: string, depth: number): tf.Tensor4D {
  let y = x;
  for (let d = 0; d < depth; d++) {
    // Stage 0 has no leading ReLU, so its layers sit one index lower in the reference's Sequential.
    const at = d === 0 ? 0 : 1;
    if (d > 0) y = tf.relu(y);
    y = tf.depthwiseConv2d(y, params.get(`${prefix}.conv.${d}.${at}.weight`) as tf.Tensor4D, 1, 'same');
    y = conv1x1(y, params.get(`${prefix}.conv.${d}.${at + 1}.weight`));
    y = batchNorm(y, params, `${prefix}.conv.${d}.${at + 2}`);
  }
  return y;
}

/**
 * Nearest-neighbour ×2 upsampling by repetition: exact, and differentiable on every backend through
 * rank-4 tiles (tfjs has no tile gradient beyond rank 4), first along the width, then the height.
 */
export function upsample2x(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const wide = tf.reshape(tf.tile(tf.reshape(x, [b * h, w, 1, c]), [1, 1, 2, 1]), [b, h, 1, 2 * w * c]);
  return tf.reshape(tf.tile(wide, [1, 1, 2, 1]), [b, 2 * h, 2 * w, c]);
}

/**
 * The reference's MaxPool2dStaticSamePadding(3, 2) on an even size: zero padding of one row and
 * column at the end. Its inputs are ReLU outputs, so TF's "same" padding (which never wins a max) is the same.
 */
export function downsample2x(x: tf.Tensor4D): tf.Tensor4D {
  return tf.maxPool(x, 3, 2, 'same');
}
