import * as tfl from '@tensorflow/tfjs-layers';
import { z } from '@selfkd/core';
import { FEATURES_LAYER } from '../classifier.js';
import type { Architecture } from './architecture.js';
import { layerWidth } from './width.js';
import { connect, dense } from './layers.js';

const options = z.strictObject({
  /** Widths of the hidden layers; the last one's activations are the features. */
  hidden: z.array(layerWidth).min(1).default([512, 512]),
});

/** Flatten → Dense(hidden[i], relu)…; 28×28×1 with the defaults is MLP 784-512-512-10. */
export const mlp: Architecture<typeof options> = {
  name: 'mlp',
  description: 'Multi-layer perceptron: flatten, then dense ReLU layers of widths `hidden`; features = last hidden layer',
  options,
  buildFeatures(input, { hidden }, spec) {
    let x = connect(tfl.layers.flatten({ name: 'flatten' }), input);
    hidden.forEach((units, i) => {
      const last = i === hidden.length - 1;
      x = dense(x, spec.seed, last ? FEATURES_LAYER : `hidden${i + 1}`, units, 'relu');
    });
    return x;
  },
};
