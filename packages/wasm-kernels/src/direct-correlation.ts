import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { ExplicitPadding, KernelScope } from './kernel-scope.js';
import { correlationRow } from './simd/correlation-row.js';

/** What FusedConv2D adds to a correlation, inside the same pass. */
export interface Epilogue {
  /** Per output channel, [co]. */
  bias?: TensorInfo;
  relu: boolean;
}

/**
 * An NHWC float32 correlation with dilation 1 and output channels in eights, by the package's
 * SIMD rows (simd/correlation-row.ts) instead of XNNPACK, which runs these shapes some 1.5 times
 * slower here; undefined when the shape or the heap does not allow it, so the caller takes XNNPACK.
 */
export function directCorrelation(
  scope: KernelScope,
  x: TensorInfo,
  filter: TensorInfo,
  strides: [number, number],
  pad: ExplicitPadding,
  epilogue: Epilogue = { relu: false },
): TensorInfo | undefined {
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const [filterHeight, filterWidth, , outChannels] = filter.shape as [number, number, number, number];
  const [, [top, bottom], [left, right]] = pad;
  const [strideHeight, strideWidth] = strides;
  const paddedWidth = width + left + right;
  const outHeight = Math.floor((height + top + bottom - filterHeight) / strideHeight) + 1;
  const outWidth = Math.floor((paddedWidth - filterWidth) / strideWidth) + 1;
  if (x.dtype !== 'float32' || filter.dtype !== 'float32' || outChannels % 8 !== 0 || outHeight < 1 || outWidth < 1) return undefined;
  if (epilogue.bias && (epilogue.bias.dtype !== 'float32' || epilogue.bias.shape.length !== 1 || epilogue.bias.shape[0] !== outChannels)) return undefined;
  const row = correlationRow(scope.backend);
  if (!row) return undefined;

  // A row's last block of four pixels may read up to three pixels' strides past the row, into
  // the next padded row; extra zero rows at the bottom keep the last image's reads inside x.
  const extraRows = Math.ceil((3 * strideWidth) / paddedWidth) + 1;
  const padded = scope.pad(x, [[0, 0], [top, bottom + extraRows], [left, right], [0, 0]]);
  const paddedHeight = height + top + bottom + extraRows;
  const patch = filterHeight * filterWidth * channels;
  const panels = outChannels / 8;
  const packed = scope.transpose(scope.reshape(filter, [patch, panels, 8]), [1, 0, 2]);
  const bias = epilogue.bias ?? scope.zeros([outChannels], 'float32');
  const out = scope.output([batch, outHeight, outWidth, outChannels], 'float32');
  // Views after the last allocation: an allocation may move the heap.
  const xAt = scope.view(padded).byteOffset;
  const wAt = scope.view(packed).byteOffset;
  const outAt = scope.view(out).byteOffset;
  const biasAt = scope.view(bias).byteOffset;
  const relu = epilogue.relu ? 1 : 0;
  const tapLength = filterWidth * channels;
  const tapJump = (paddedWidth - filterWidth) * channels * 4;
  const rowBytes = outChannels * 4;
  const pixelStep = strideWidth * channels * 4;
  for (let image = 0; image < batch; image++) {
    for (let y = 0; y < outHeight; y++) {
      const xRow = xAt + ((image * paddedHeight + y * strideHeight) * paddedWidth) * channels * 4;
      const outRow = outAt + (image * outHeight + y) * outWidth * rowBytes;
      row(xRow, wAt, outRow, outWidth, filterHeight, tapLength, tapJump, panels, rowBytes, pixelStep, biasAt, relu);
    }
  }
  return out;
}
