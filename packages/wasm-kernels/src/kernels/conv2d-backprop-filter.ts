import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { cropSpatial, explicitPadding, filterGradientAxis, requireChannelsLast, type PadAttr, type RoundingAttr } from '../conv-geometry.js';
import { withScope } from '../kernel-scope.js';

/**
 * dW[kh, kw, ci, co] = Σ_{b, oh, ow} x[b, oh·s + kh·d − pad, …, ci] · dy[b, oh, ow, co] is itself a
 * correlation: with the input channel as batch and the batch as channels, x'[ci, h, w, b]
 * correlated with the filter dy'[oh, ow, b, co] at stride d and dilation s gives
 * dW'[ci, kh, kw, co]. That keeps the whole reduction inside one XNNPACK convolution.
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
  return withScope(backend as BackendWasm, (scope) => {
    const rows = filterGradientAxis(info.inHeight, info.padInfo.top, info.filterHeight, info.dilationHeight, info.outHeight, info.strideHeight);
    const cols = filterGradientAxis(info.inWidth, info.padInfo.left, info.filterWidth, info.dilationWidth, info.outWidth, info.strideWidth);
    const channelsAsBatch = cropSpatial(scope, scope.transpose(x, [3, 1, 2, 0]), rows, cols);
    const dyAsFilter = scope.transpose(dy, [1, 2, 0, 3]);
    const grad = scope.conv2d(channelsAsBatch, dyAsFilter, [info.dilationHeight, info.dilationWidth], [info.strideHeight, info.strideWidth], explicitPadding(rows, cols));
    return scope.transpose(grad, [1, 2, 0, 3]);
  });
};
