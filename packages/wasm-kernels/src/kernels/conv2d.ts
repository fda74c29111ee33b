import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { cropSpatial, explicitPadding, fitAxis, type PadAttr, type RoundingAttr } from '../conv-geometry.js';
import { withScope } from '../kernel-scope.js';
import { stockKernel } from '../stock.js';

/**
 * The forward convolution: the package's SIMD rows (see direct-correlation.ts) for float32 NHWC
 * with dilation 1 and output channels in eights, the stock XNNPACK kernel for everything else.
 * Both get the input cropped and padded to exactly the span tfjs's output size reads: given a
 * numeric padding and unequal strides, the stock kernel would otherwise compute a wider output
 * than tfjs allocated and write past it.
 */
export const conv2d: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as unknown as {
    strides: number | [number, number];
    pad: PadAttr;
    dataFormat?: string;
    dilations?: number | [number, number];
    dimRoundingMode?: RoundingAttr;
  };
  if ((dataFormat ?? 'NHWC') !== 'NHWC') return stockKernel('Conv2D', backend as BackendWasm)(args);
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, dilations ?? 1, pad, dimRoundingMode);
  const rows = fitAxis(info.inHeight, info.padInfo.top, (info.outHeight - 1) * info.strideHeight + info.effectiveFilterHeight);
  const cols = fitAxis(info.inWidth, info.padInfo.left, (info.outWidth - 1) * info.strideWidth + info.effectiveFilterWidth);
  return withScope(backend as BackendWasm, (scope) => {
    const input = cropSpatial(scope, x, rows, cols);
    const padding = explicitPadding(rows, cols);
    return scope.conv2d(input, filter, [info.strideHeight, info.strideWidth], [info.dilationHeight, info.dilationWidth], padding);
  });
};
