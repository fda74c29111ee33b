import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { requireChannelsLast, type PadAttr, type RoundingAttr } from '../conv-geometry.js';
import { withScope } from '../kernel-scope.js';
import { inputGradient } from '../transposed-correlation.js';

/**
 * dx as XNNPACK convolutions of dy with the filter flipped in space and with its channel axes
 * swapped ([kh, kw, co, ci]); one per stride phase (see transposed-correlation.ts). Replaces the
 * stock scalar loop.
 */
export const conv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
    strides: number | [number, number];
    pad: PadAttr;
    dataFormat?: string;
    dimRoundingMode?: RoundingAttr;
    inputShape: [number, number, number, number];
  };
  requireChannelsLast('Conv2DBackpropInput', dataFormat);
  const info = backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  return withScope(backend as BackendWasm, (scope) =>
    inputGradient(
      scope,
      dy,
      filter,
      { inSize: info.inHeight, padBefore: info.padInfo.top, filterSize: info.filterHeight, dilation: 1, stride: info.strideHeight },
      { inSize: info.inWidth, padBefore: info.padInfo.left, filterSize: info.filterWidth, dilation: 1, stride: info.strideWidth },
      {
        flip: (s, w) => s.transpose(s.reverse(w, [0, 1]), [0, 1, 3, 2]),
        correlate: (s, input, flipped, dilations, padding) => s.conv2d(input, flipped, [1, 1], dilations, padding),
        channels: info.inChannels,
      },
    ),
  );
};
