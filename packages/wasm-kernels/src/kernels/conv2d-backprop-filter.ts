import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { cropSpatial, explicitPadding, filterGradientAxis, patchesLineUp, requireChannelsLast, type PadAttr, type RoundingAttr } from '../conv-geometry.js';
import { withScope, type KernelScope } from '../kernel-scope.js';
import { filterGradientBlock, type FilterGradientBlock } from '../simd/filter-gradient-block.js';
import { batchMatMul } from './mat-mul.js';

/**
 * dW[kh, kw, ci, co] = Σ_{b, oh, ow} x[b, oh·s + kh·d − pad, …, ci] · dy[b, oh, ow, co], a reduction
 * over every output position, computed in one of three ways:
 *
 * - directly, when input channels come in fours and output channels in eights (every layer after
 *   the first in selfkd's models): register-tiled SIMD blocks emitted in-package read x (zero-padded)
 *   and dy in place and accumulate into dW, image by image (simd/filter-gradient-block.ts); about
 *   1.5 times the rate of the XNNPACK routes below on the CNN's second layer (both of those pay
 *   for packing a long operand).
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
  const block = x.dtype === 'float32' && info.outChannels % 8 === 0 ? filterGradientBlock(backend as BackendWasm) : undefined;
  if (block && info.inChannels % 4 === 0 && patchesLineUp(info)) return withScope(backend as BackendWasm, (scope) => direct(scope, x, dy, info, block));
  const patchSize = info.filterHeight * info.filterWidth * info.inChannels;
  if (patchSize < info.outChannels && patchesLineUp(info)) return withScope(backend as BackendWasm, (scope) => fromPatches(scope, x, dy, info, block));
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
 * The patch of every output position, P [positions, kh·kw·ci] (a convolution with one-hot filters),
 * then dW = Pᵀ·dy: by the direct SIMD blocks, as the filter gradient of a 1×1 convolution of P
 * (its patch length rounded up to four with zero columns), or else by a transposed matrix product.
 */
function fromPatches(scope: KernelScope, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo, block: FilterGradientBlock | undefined): TensorInfo {
  const patchSize = info.filterHeight * info.filterWidth * info.inChannels;
  const width = block ? Math.ceil(patchSize / 4) * 4 : patchSize;
  // Filter [kh, kw, ci, width] whose output channel (kh·kw + kw)·ci + ci copies that input.
  const oneHot = scope.zeros([info.filterHeight, info.filterWidth, info.inChannels, width], 'float32');
  const ones = scope.view(oneHot);
  for (let i = 0; i < patchSize; i++) ones[i * width + i] = 1;
  const { top, bottom, left, right } = info.padInfo;
  const patches = scope.conv2d(x, oneHot, [info.strideHeight, info.strideWidth], [1, 1], [[0, 0], [top, bottom], [left, right], [0, 0]]);
  if (block) {
    const pointwise = backend_util.computeConv2DInfo(patches.shape as [number, number, number, number], [1, 1, width, info.outChannels], 1, 1, 'valid');
    const grad = direct(scope, patches, dy, pointwise, block);
    return scope.reshape(scope.slice(grad, [0, 0, 0, 0], [1, 1, patchSize, info.outChannels]), info.filterShape);
  }
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const gradT = scope.call(batchMatMul, { a: scope.reshape(dy, [positions, info.outChannels]), b: scope.reshape(patches, [positions, patchSize]) }, { transposeA: true, transposeB: false });
  return scope.reshape(scope.transpose(gradT, [1, 0]), info.filterShape);
}

function direct(scope: KernelScope, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo, block: FilterGradientBlock): TensorInfo {
  const { top, bottom, left, right } = info.padInfo;
  const padded = top || bottom || left || right ? scope.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
  const [, paddedHeight, paddedWidth] = padded.shape as [number, number, number, number];
  const dw = scope.zeros(info.filterShape, 'float32');
  // Views after the last allocation: an allocation may move the heap.
  const xAt = scope.view(padded).byteOffset;
  const dyAt = scope.view(dy).byteOffset;
  const dwAt = scope.view(dw).byteOffset;
  const channels = info.inChannels;
  const rowBytes = info.outChannels * 4;
  const xStep = info.strideWidth * channels * 4;
  const xRowJump = info.strideHeight * paddedWidth * channels * 4 - info.outWidth * xStep;
  const imageBytes = paddedHeight * paddedWidth * channels * 4;
  const dyImageBytes = info.outHeight * info.outWidth * rowBytes;
  for (let image = 0; image < info.batchSize; image++) {
    for (let kh = 0; kh < info.filterHeight; kh++) {
      for (let kw = 0; kw < info.filterWidth; kw++) {
        const tap = kh * info.filterWidth + kw;
        for (let ci = 0; ci < channels; ci += 4) {
          const xTap = xAt + image * imageBytes + ((kh * paddedWidth + kw) * channels + ci) * 4;
          block(xTap, dyAt + image * dyImageBytes, dwAt + (tap * channels + ci) * rowBytes, info.outHeight, info.outWidth, xStep, xRowJump, info.outChannels / 8, rowBytes);
        }
      }
    }
  }
  return dw;
}
