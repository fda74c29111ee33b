import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { modelCost } from '../src/index.js';

describe('modelCost', () => {
  it('counts the multiply-adds of convolution and dense layers by hand, and the trainable parameters', () => {
    const input = tfl.input({ shape: [8, 8, 2] });
    const conv = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(input) as tfl.SymbolicTensor;
    const strided = tfl.layers.conv2d({ filters: 6, kernelSize: 2, strides: 2 }).apply(conv) as tfl.SymbolicTensor;
    const depthwise = tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', useBias: false }).apply(strided) as tfl.SymbolicTensor;
    const normalized = tfl.layers.batchNormalization().apply(depthwise) as tfl.SymbolicTensor;
    const flat = tfl.layers.flatten().apply(normalized) as tfl.SymbolicTensor;
    const logits = tfl.layers.dense({ units: 10 }).apply(flat) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: logits });
    try {
      // conv 3×3×2×4 at 8×8 positions; strided 2×2×4×6 at 4×4; depthwise 3×3×6×2 at 4×4; dense (4·4·12)×10 once.
      const macs = 3 * 3 * 2 * 4 * 64 + 2 * 2 * 4 * 6 * 16 + 3 * 3 * 6 * 2 * 16 + 192 * 10;
      // Weights and biases; BatchNorm's γ and β train, its moving statistics do not.
      const parameters = 3 * 3 * 2 * 4 + 4 + 2 * 2 * 4 * 6 + 6 + 3 * 3 * 6 * 2 + 2 * 12 + 192 * 10 + 10;
      expect(modelCost(model)).toEqual({ parameters, forwardFlopsPerImage: 2 * macs, trainingFlopsPerImage: 6 * macs });
    } finally {
      model.dispose();
    }
  });
});
