import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { cropSpatial, explicitPadding, filterGradientAxis, type PadAttr, type RoundingAttr } from '../conv-geometry.js';
import { withScope } from '../kernel-scope.js';
import { inputGradient } from '../transposed-correlation.js';

interface DepthwiseGradAttrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: PadAttr;
  dimRoundingMode?: RoundingAttr;
}

/**
 * dW[kh, kw, c, m] = Σ_{b, oh, ow} x[b, oh·s + kh·d − pad, …, c] · dy[b, oh, ow, c·M + m]: a depthwise
 * correlation of x' [1, h, w, b·c] with the filter dy' [oh, ow, b·c, m] at stride d and dilation s,
 * summed over b afterwards (the batch has to ride in the channel axis to keep channels apart).
 */
export const depthwiseConv2dNativeBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as DepthwiseGradAttrs & {
    filterShape: [number, number, number, number];
  };
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, dilations, pad, dimRoundingMode, true);
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const multiplier = filterShape[3];
  return withScope(backend as BackendWasm, (scope) => {
    const rows = filterGradientAxis(height, info.padInfo.top, info.filterHeight, info.dilationHeight, info.outHeight, info.strideHeight);
    const cols = filterGradientAxis(width, info.padInfo.left, info.filterWidth, info.dilationWidth, info.outWidth, info.strideWidth);
    const xBatchInChannels = scope.reshape(scope.transpose(x, [1, 2, 0, 3]), [1, height, width, batch * channels]);
    const dyAsFilter = scope.reshape(scope.transpose(dy, [1, 2, 0, 3]), [info.outHeight, info.outWidth, batch * channels, multiplier]);
    const perSample = scope.depthwiseConv2d(
      cropSpatial(scope, xBatchInChannels, rows, cols),
      dyAsFilter,
      [info.dilationHeight, info.dilationWidth],
      [info.strideHeight, info.strideWidth],
      explicitPadding(rows, cols),
    );
    const summed = scope.sum(scope.reshape(perSample, [info.filterHeight, info.filterWidth, batch, channels * multiplier]), [2]);
    return scope.reshape(summed, filterShape);
  });
};

/**
 * dx[b, i, j, c] = Σ_m (dy ⋆ flipped w[…, c, m])[b, i, j, c·M + m]: depthwise correlations with
 * multiplier 1 over the c·M channels of dy (one per stride phase, see transposed-correlation.ts),
 * then a sum over m.
 */
export const depthwiseConv2dNativeBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as DepthwiseGradAttrs & {
    inputShape: [number, number, number, number];
  };
  const filterShape = filter.shape as [number, number, number, number];
  const info = backend_util.computeConv2DInfo(inputShape, filterShape, strides, dilations, pad, dimRoundingMode, true);
  const [kh, kw, channels, multiplier] = filterShape;
  return withScope(backend as BackendWasm, (scope) => {
    const perChannel = inputGradient(
      scope,
      dy,
      filter,
      { inSize: info.inHeight, padBefore: info.padInfo.top, filterSize: kh, dilation: info.dilationHeight, stride: info.strideHeight },
      { inSize: info.inWidth, padBefore: info.padInfo.left, filterSize: kw, dilation: info.dilationWidth, stride: info.strideWidth },
      {
        flip: (s, w) => s.reshape(s.reverse(w, [0, 1]), [w.shape[0]!, w.shape[1]!, channels * multiplier, 1]),
        correlate: (s, input, flipped, dilationRates, padding) => s.depthwiseConv2d(input, flipped, [1, 1], dilationRates, padding),
        channels: channels * multiplier,
      },
    );
    if (multiplier === 1) return perChannel;
    return scope.sum(scope.reshape(perChannel, [...inputShape, multiplier]), [4]);
  });
};
