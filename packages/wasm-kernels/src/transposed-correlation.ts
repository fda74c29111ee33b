import type { TensorInfo } from '@tensorflow/tfjs-core';
import { cropSpatial, explicitPadding, fitAxis, type AxisFit } from './conv-geometry.js';
import type { ExplicitPadding, KernelScope } from './kernel-scope.js';

/** One spatial axis of a forward convolution, in the terms of its input gradient. */
export interface ForwardAxis {
  /** Input length n. */
  inSize: number;
  /** Padding before the input in the forward pass. */
  padBefore: number;
  filterSize: number;
  dilation: number;
  stride: number;
}

/**
 * The input gradient of a convolution is a correlation of dy, spread out to the forward stride
 * (s − 1 zeros between entries), with the spatially flipped filter at the forward dilation:
 * dx[i] = Σ_j dyS[i + (k−1)·d − pad − j·d] · w[j]. Returns dy spread out, cropped where the
 * window needs it, and the explicit padding for that correlation, so that it yields exactly n entries.
 */
export function spreadForInputGradient(scope: KernelScope, dy: TensorInfo, rows: ForwardAxis, cols: ForwardAxis): { input: TensorInfo; pad: ExplicitPadding } {
  const spread = spreadSpatial(scope, dy, rows.stride, cols.stride);
  const rowFit = inputGradientAxis(spread.shape[1]!, rows);
  const colFit = inputGradientAxis(spread.shape[2]!, cols);
  return { input: cropSpatial(scope, spread, rowFit, colFit), pad: explicitPadding(rowFit, colFit) };
}

function inputGradientAxis(spreadLength: number, axis: ForwardAxis): AxisFit {
  const reach = (axis.filterSize - 1) * axis.dilation;
  return fitAxis(spreadLength, reach - axis.padBefore, axis.inSize + reach);
}

/**
 * [B, H, W, C] → [B, H·sh, W·sw, C] with dy[b, h, w] at (h·sh, w·sw) and zeros elsewhere, as two
 * rank-4 pads (the wasm PadV2 copies rows with memcpy up to rank 4). The trailing s − 1 zero rows
 * and columns are harmless: they only meet filter taps outside the input.
 */
function spreadSpatial(scope: KernelScope, t: TensorInfo, strideRows: number, strideCols: number): TensorInfo {
  const [batch, height, width, channels] = t.shape as [number, number, number, number];
  let out = t;
  if (strideCols > 1) {
    const columns = scope.pad(scope.reshape(out, [batch * height, width, 1, channels]), [[0, 0], [0, 0], [0, strideCols - 1], [0, 0]]);
    out = scope.reshape(columns, [batch, height, width * strideCols, channels]);
  }
  if (strideRows > 1) {
    const rowLength = out.shape[2]! * channels;
    const rows = scope.pad(scope.reshape(out, [batch, height, 1, rowLength]), [[0, 0], [0, 0], [0, strideRows - 1], [0, 0]]);
    out = scope.reshape(rows, [batch, height * strideRows, out.shape[2]!, channels]);
  }
  return out;
}
