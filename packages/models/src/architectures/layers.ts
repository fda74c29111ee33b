import * as tfl from '@tensorflow/tfjs-layers';
import { seededInitializers } from '../init.js';

/** Applies one layer to a symbolic tensor (the layers API types its result loosely). */
export function connect(layer: tfl.layers.Layer, input: tfl.SymbolicTensor | tfl.SymbolicTensor[]): tfl.SymbolicTensor {
  return layer.apply(input) as tfl.SymbolicTensor;
}

export interface ConvOptions {
  name: string;
  filters: number;
  kernelSize: number;
  strides: number;
  useBias: boolean;
  activation?: 'relu';
}

/**
 * A seeded 2-D convolution padded like PyTorch's `padding=(k−1)/2`. TF's 'same' padding matches
 * that only at stride 1: at stride 2 on an even size it pads just the bottom/right, shifting the
 * sampling grid, so strided convolutions get an explicit symmetric zero padding instead.
 */
export function conv2d(x: tfl.SymbolicTensor, seed: number, o: ConvOptions): tfl.SymbolicTensor {
  const inChannels = x.shape[3]!;
  const init = seededInitializers(seed, o.name, o.kernelSize * o.kernelSize * inChannels);
  const symmetricPad = o.strides > 1 && o.kernelSize > 1;
  const padded = symmetricPad
    ? connect(tfl.layers.zeroPadding2d({ padding: (o.kernelSize - 1) / 2, name: `${o.name}_pad` }), x)
    : x;
  const conv = tfl.layers.conv2d({
    name: o.name,
    filters: o.filters,
    kernelSize: o.kernelSize,
    strides: o.strides,
    padding: symmetricPad ? 'valid' : 'same',
    useBias: o.useBias,
    activation: o.activation ?? 'linear',
    kernelInitializer: init.kernelInitializer,
    biasInitializer: init.biasInitializer,
  });
  return connect(conv, padded);
}

/** A seeded dense layer (kernel and bias seeds derived from its name). */
export function dense(x: tfl.SymbolicTensor, seed: number, name: string, units: number, activation?: 'relu'): tfl.SymbolicTensor {
  const init = seededInitializers(seed, name, x.shape[1]!);
  return connect(tfl.layers.dense({ name, units, activation: activation ?? 'linear', ...init }), x);
}

/**
 * BatchNorm over channels with PyTorch's defaults (eps 1e-5; torch momentum 0.1 is Keras
 * momentum 0.9). In training mode tfjs updates the running statistics on every call; note it
 * feeds the biased batch variance into the running variance where PyTorch uses the unbiased one.
 */
export function batchNorm(x: tfl.SymbolicTensor, name: string): tfl.SymbolicTensor {
  return connect(tfl.layers.batchNormalization({ name, axis: -1, momentum: 0.9, epsilon: 1e-5 }), x);
}

export function relu(x: tfl.SymbolicTensor, name: string): tfl.SymbolicTensor {
  return connect(tfl.layers.activation({ name, activation: 'relu' }), x);
}
