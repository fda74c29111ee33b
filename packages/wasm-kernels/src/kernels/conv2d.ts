import { backend_util, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { cropSpatial, explicitPadding, fitAxis, type PadAttr, type RoundingAttr } from '../conv-geometry.js';
import { directCorrelation, type Epilogue } from '../direct-correlation.js';
import { withScope } from '../kernel-scope.js';
import { stockKernel } from '../stock.js';

interface ConvAttrs {
  strides: number | [number, number];
  pad: PadAttr;
  dataFormat?: string;
  dilations?: number | [number, number];
  dimRoundingMode?: RoundingAttr;
}

/**
 * The forward convolution: the package's SIMD rows (see direct-correlation.ts) for float32 NHWC
 * with dilation 1 and output channels in eights, the stock XNNPACK kernel for everything else.
 * Both get the input cropped and padded to exactly the span tfjs's output size reads: given a
 * numeric padding and unequal strides, the stock kernel would otherwise compute a wider output
 * than tfjs allocated and write past it.
 */
export const conv2d: KernelFunc = (args) => convolve('Conv2D', args, { relu: false });

/**
 * The forward convolution with bias and activation that tfjs-layers uses (during training when the
 * activation is linear): the same SIMD rows add the bias and apply ReLU in their final pass;
 * other activations and PReLU weights keep the stock kernel.
 */
export const fusedConv2d: KernelFunc = (args) => {
  const { bias, preluActivationWeights } = args.inputs as { bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  const { activation } = args.attrs as unknown as { activation?: string };
  const fusable = preluActivationWeights === undefined && (activation === undefined || activation === 'linear' || activation === 'relu');
  return convolve('FusedConv2D', args, fusable ? { bias, relu: activation === 'relu' } : undefined);
};

/** `epilogue` undefined: the fused part is one the SIMD rows do not do, so only the geometry is fixed. */
function convolve(kernelName: string, { inputs, backend, attrs }: Parameters<KernelFunc>[0], epilogue: Epilogue | undefined): TensorInfo {
  const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as unknown as ConvAttrs;
  const stock = stockKernel(kernelName, backend as BackendWasm);
  if ((dataFormat ?? 'NHWC') !== 'NHWC') return stock({ inputs, backend, attrs }) as TensorInfo;
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, dilations ?? 1, pad, dimRoundingMode);
  const rows = fitAxis(info.inHeight, info.padInfo.top, (info.outHeight - 1) * info.strideHeight + info.effectiveFilterHeight);
  const cols = fitAxis(info.inWidth, info.padInfo.left, (info.outWidth - 1) * info.strideWidth + info.effectiveFilterWidth);
  return withScope(backend as BackendWasm, (scope) => {
    const input = cropSpatial(scope, x, rows, cols);
    const padding = explicitPadding(rows, cols);
    const undilated = info.dilationHeight === 1 && info.dilationWidth === 1;
    const direct = undilated && epilogue ? directCorrelation(scope, input, filter, [info.strideHeight, info.strideWidth], padding, epilogue) : undefined;
    if (direct) return direct;
    const stockInputs: NamedTensorInfoMap = { ...inputs, x: input };
    return scope.call(stock, stockInputs, { ...attrs, pad: padding, dimRoundingMode: undefined } as unknown as NamedAttrMap);
  });
}
