import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { cropSpatial, explicitPadding, filterGradientAxis, requireChannelsLast, type PadAttr, type RoundingAttr } from '../conv-geometry.js';
import { withScope, type KernelScope } from '../kernel-scope.js';
import { batchMatMul } from './mat-mul.js';

/**
 * dW[kh, kw, ci, co] = Σ_{b, oh, ow} x[b, oh·s + kh·d − pad, …, ci] · dy[b, oh, ow, co], a reduction
 * over every output position, computed in one of two ways:
 *
 * - as a correlation: with the input channel as batch and the batch as channels, x'[ci, h, w, b]
 *   correlated with the filter dy'[oh, ow, b, co] at stride d and dilation s gives
 *   dW'[ci, kh, kw, co], all inside one XNNPACK convolution. XNNPACK packs that "filter", dy,
 *   which costs several times a copy of dy.
 * - from patches, when a patch (kh·kw·ci values) is shorter than dy's channel count (the first
 *   layer on grey images, 1×1 projections): a convolution with one-hot filters writes the patch of
 *   every output position, P [positions, kh·kw·ci], and dWᵀ = dyᵀ·P packs only P.
 */
export const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: number | [number, number];
    pad: PadAttr;
    dataFormat?: string;
    dimRoundingMode?: RoundingAttr;
    filterShape: [number, number, number, number];
  };
  requireChannelsLast('Conv2DBackpropFilter', dataFormat);
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  const patchSize = info.filterHeight * info.filterWidth * info.inChannels;
  if (patchSize < info.outChannels && patchesLineUp(info)) return withScope(backend as BackendWasm, (scope) => fromPatches(scope, x, dy, info));
  return withScope(backend as BackendWasm, (scope) => {
    const rows = filterGradientAxis(info.inHeight, info.padInfo.top, info.filterHeight, info.dilationHeight, info.outHeight, info.strideHeight);
    const cols = filterGradientAxis(info.inWidth, info.padInfo.left, info.filterWidth, info.dilationWidth, info.outWidth, info.strideWidth);
    const channelsAsBatch = cropSpatial(scope, scope.transpose(x, [3, 1, 2, 0]), rows, cols);
    const dyAsFilter = scope.transpose(dy, [1, 2, 0, 3]);
    const grad = scope.conv2d(channelsAsBatch, dyAsFilter, [info.dilationHeight, info.dilationWidth], [info.strideHeight, info.strideWidth], explicitPadding(rows, cols));
    return scope.transpose(grad, [1, 2, 0, 3]);
  });
};

/**
 * Whether a convolution with the explicit padding of `info` has dy's spatial size. tfjs sizes a
 * numeric padding with the row stride on both axes, so with unequal strides it may not.
 */
function patchesLineUp(info: backend_util.Conv2DInfo): boolean {
  const { top, bottom, left, right } = info.padInfo;
  const rows = Math.floor((info.inHeight + top + bottom - info.filterHeight) / info.strideHeight) + 1;
  const cols = Math.floor((info.inWidth + left + right - info.filterWidth) / info.strideWidth) + 1;
  return rows === info.outHeight && cols === info.outWidth;
}

function fromPatches(scope: KernelScope, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const patchSize = info.filterHeight * info.filterWidth * info.inChannels;
  // Filter [kh, kw, ci, kh·kw·ci] whose output channel (kh·kw + kw)·ci + ci copies that input.
  const oneHot = scope.zeros([info.filterHeight, info.filterWidth, info.inChannels, patchSize], 'float32');
  const ones = scope.view(oneHot);
  for (let i = 0; i < patchSize; i++) ones[i * patchSize + i] = 1;
  const { top, bottom, left, right } = info.padInfo;
  const patches = scope.conv2d(x, oneHot, [info.strideHeight, info.strideWidth], [1, 1], [[0, 0], [top, bottom], [left, right], [0, 0]]);
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const gradT = scope.call(batchMatMul, { a: scope.reshape(dy, [positions, info.outChannels]), b: scope.reshape(patches, [positions, patchSize]) }, { transposeA: true, transposeB: false });
  return scope.reshape(scope.transpose(gradT, [1, 0]), info.filterShape);
}
