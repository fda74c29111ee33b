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

const hiddenLayerName = (i: number, count: number) => (i === count - 1 ? FEATURES_LAYER : `hidden${i + 1}`);

/** Flatten → Dense(hidden[i], relu)…; 28×28×1 with the defaults is MLP 784-512-512-10. */
export const mlp: Architecture<typeof options> = {
  name: 'mlp',
  description: 'Multi-layer perceptron: flatten, then dense ReLU layers of widths `hidden`; features = last hidden layer',
  options,
  buildFeatures(input, { hidden }, spec) {
    let x = connect(tfl.layers.flatten({ name: 'flatten' }), input);
    hidden.forEach((units, i) => {
      x = dense(x, spec.seed, hiddenLayerName(i, hidden.length), units, 'relu');
    });
    return x;
  },
  /** `hidden1`…`hiddenN`: every hidden layer's activations (the last one is the features). */
  taps: ({ hidden }) => Object.fromEntries(hidden.map((_, i) => [`hidden${i + 1}`, hiddenLayerName(i, hidden.length)])),
};
