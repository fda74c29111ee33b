import * as tfl from '@tensorflow/tfjs-layers';
import { z } from '@selfkd/core';
import { FEATURES_LAYER } from '../classifier.js';
import type { ModelSpec } from '../spec.js';
import type { Architecture } from './architecture.js';
import { layerWidth } from './width.js';
import { batchNorm, connect, conv2d, dense, relu } from './layers.js';

const options = z.strictObject({
  /** Filters of each conv3×3 stage; every stage ends in a 2×2 max-pool. */
  channels: z.array(layerWidth).min(1).default([32, 64]),
  /** Width of the dense ReLU layer whose activations are the features. */
  dense: layerWidth.default(128),
  /** BatchNorm after each convolution, before its ReLU (the convolution then has no bias: BN's β replaces it). */
  batchNorm: z.boolean().default(false),
});

/** conv32(3×3, same, relu)-maxpool2-conv64(3×3, same, relu)-maxpool2-flatten-dense128(relu) with the defaults. */
export const cnn: Architecture<typeof options> = {
  name: 'cnn',
  description: 'Small convnet: [conv3×3 (+BN) ReLU, max-pool 2×2] per entry of `channels`, flatten, dense ReLU of width `dense` = features',
  options,
  buildFeatures(input, o, spec) {
    checkPoolingFits(o.channels.length, spec);
    let x = input;
    o.channels.forEach((filters, i) => {
      const name = `conv${i + 1}`;
      if (o.batchNorm) {
        x = conv2d(x, spec.seed, { name, filters, kernelSize: 3, strides: 1, useBias: false });
        x = relu(batchNorm(x, `${name}_bn`), `${name}_relu`);
      } else {
        x = conv2d(x, spec.seed, { name, filters, kernelSize: 3, strides: 1, useBias: true, activation: 'relu' });
      }
      x = connect(tfl.layers.maxPooling2d({ name: poolLayerName(i), poolSize: 2, strides: 2, padding: 'valid' }), x);
    });
    x = connect(tfl.layers.flatten({ name: 'flatten' }), x);
    return dense(x, spec.seed, FEATURES_LAYER, o.dense, 'relu');
  },
  /** `block1`…`blockN`: each conv block's output after its max-pool. */
  taps: ({ channels }) => Object.fromEntries(channels.map((_, i) => [`block${i + 1}`, poolLayerName(i)])),
};

function poolLayerName(block: number): string {
  return `pool${block + 1}`;
}

function checkPoolingFits(stages: number, { inputShape: [height, width] }: ModelSpec): void {
  const smallest = Math.min(height!, width!);
  if (Math.floor(smallest / 2 ** stages) < 1) {
    throw new Error(
      `cnn.channels has ${stages} stages, each halving the image with a 2×2 max-pool, but the input is only ${height}×${width}; ` +
        `use at most ${Math.floor(Math.log2(smallest))} stages`,
    );
  }
}
