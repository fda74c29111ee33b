import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '@selfkd/core';

type Initializer = ReturnType<typeof tfl.initializers.randomUniform>;

export interface LayerInitializers {
  kernelInitializer: Initializer;
  biasInitializer: Initializer;
}

/**
 * Seeded initialisers for one layer, with PyTorch's default distribution for Linear and Conv2d:
 * U(−1/√fanIn, 1/√fanIn) for both kernel and bias (kaiming_uniform with a=√5 reduces to this).
 * Matching torch.nn keeps runs comparable with the PyTorch reference code of the papers.
 *
 * Each layer's seeds are derived from the model seed and the layer's name, so they do not depend
 * on the order in which layers are built and two layers never share a stream.
 */
export function seededInitializers(modelSeed: number, layerName: string, fanIn: number): LayerInitializers {
  const bound = 1 / Math.sqrt(fanIn);
  const uniform = (role: string): Initializer =>
    tfl.initializers.randomUniform({
      minval: -bound,
      maxval: bound,
      seed: Rng.derive(modelSeed, 'models', layerName, role).nextUint32(),
    });
  return { kernelInitializer: uniform('kernel'), biasInitializer: uniform('bias') };
}
