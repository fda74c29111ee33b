import type * as tfl from '@tensorflow/tfjs-layers';

/** What one image costs a model, counted from its layers. */
export interface ModelCost {
  /** Trainable parameters. */
  parameters: number;
  /** Floating-point operations of one forward pass of one image: 2 per multiply-add of its dense and convolution layers. */
  forwardFlopsPerImage: number;
  /**
   * One training step's share per image: the forward pass and a backward pass counted as twice it
   * (gradients for the inputs and for the weights), so 3 × forward. Extra passes a regularizer adds are not in it.
   */
  trainingFlopsPerImage: number;
}

/** Layers whose multiply-adds are counted: each kernel weight is used once per output position. */
const COUNTED_LAYERS = new Set(['Dense', 'Conv1D', 'Conv2D', 'DepthwiseConv2D', 'SeparableConv2D']);

/**
 * Counts analytically: a dense or convolution layer does, per image, (kernel size) multiply-adds
 * at each output position (Dense: in × out once per position of its input's leading dimensions;
 * Conv2D: kh·kw·cin·cout at each of H_out·W_out; a separable convolution's depthwise and pointwise
 * kernels each at every output position). Biases, normalisation, activations and pooling are
 * left out: they are a small share of a dense or convolutional network's operations.
 */
export function modelCost(model: tfl.LayersModel): ModelCost {
  const forwardMacs = multiplyAdds(model);
  const parameters = model.trainableWeights.reduce((sum, weight) => sum + size(weight.shape), 0);
  return { parameters, forwardFlopsPerImage: 2 * forwardMacs, trainingFlopsPerImage: 6 * forwardMacs };
}

function multiplyAdds(container: tfl.LayersModel): number {
  let macs = 0;
  for (const layer of container.layers) {
    if ('layers' in layer) {
      macs += multiplyAdds(layer as tfl.LayersModel);
      continue;
    }
    if (!COUNTED_LAYERS.has(layer.getClassName())) continue;
    const output = layer.outputShape as number[];
    const positions = output.slice(1, -1).reduce((p, d) => p * d, 1);
    for (const weight of layer.weights) {
      if (weight.originalName.endsWith('kernel')) macs += positions * size(weight.shape);
    }
  }
  return macs;
}

function size(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((product, d) => product * d!, 1);
}
