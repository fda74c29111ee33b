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

/** A correlation with a spatially flipped filter, for one kind of convolution. */
export interface FlippedCorrelation {
  /** Flips a filter [kh, kw, …] in space and lays it out for `correlate`. */
  flip(scope: KernelScope, filter: TensorInfo): TensorInfo;
  /** Stride-1 correlation of an NHWC tensor with a flipped filter. */
  correlate(scope: KernelScope, input: TensorInfo, flipped: TensorInfo, dilations: [number, number], pad: ExplicitPadding): TensorInfo;
  /** Channels of the correlation's output. */
  channels: number;
}

/**
 * The input gradient of a convolution: dx[i] = Σ_{o, j : o·s + j·d − pad = i} dy[o] · w[j].
 *
 * At stride 1 that is one correlation of dy with the flipped filter. At stride s > 1 (dilation 1)
 * the inputs split into s phases per axis: entries i with i + pad ≡ r (mod s) only meet the taps
 * r, r + s, …, so each phase is a stride-1 correlation of dy itself with that sub-filter, and the
 * phases interleave into dx. Together they do the forward pass's multiplications, where
 * correlating a zero-spread dy with the whole filter would do s² times as many.
 */
export function inputGradient(scope: KernelScope, dy: TensorInfo, filter: TensorInfo, rows: ForwardAxis, cols: ForwardAxis, kind: FlippedCorrelation): TensorInfo {
  if (rows.stride === 1 && cols.stride === 1) {
    const rowFit = correlationFit(dy.shape[1]!, rows);
    const colFit = correlationFit(dy.shape[2]!, cols);
    return kind.correlate(scope, cropSpatial(scope, dy, rowFit, colFit), kind.flip(scope, filter), [rows.dilation, cols.dilation], explicitPadding(rowFit, colFit));
  }
  if (rows.dilation === 1 && cols.dilation === 1) return phaseInputGradient(scope, dy, filter, rows, cols, kind);
  const spread = spreadSpatial(scope, dy, rows.stride, cols.stride);
  const rowFit = correlationFit(spread.shape[1]!, rows);
  const colFit = correlationFit(spread.shape[2]!, cols);
  return kind.correlate(scope, cropSpatial(scope, spread, rowFit, colFit), kind.flip(scope, filter), [rows.dilation, cols.dilation], explicitPadding(rowFit, colFit));
}

/** dx[i] = Σ_j dyS[i + (k−1)·d − pad − j·d] · w[j] over dy spread to stride 1 (length `length`). */
function correlationFit(length: number, axis: ForwardAxis): AxisFit {
  const reach = (axis.filterSize - 1) * axis.dilation;
  return fitAxis(length, reach - axis.padBefore, axis.inSize + reach);
}

/** The inputs of one phase along one axis: dx[first + s·t], t < count, from taps tap0, tap0 + s, …. */
interface Phase {
  /** First filter tap of the phase. */
  tap0: number;
  taps: number;
  /** First input position of the phase, in [0, s). */
  first: number;
  count: number;
  /** The window of dy that the phase's correlation reads. */
  fit: AxisFit;
}

function phases(axis: ForwardAxis, dyLength: number): Phase[] {
  const { inSize, padBefore, filterSize, stride } = axis;
  return Array.from({ length: stride }, (_, tap0) => {
    const taps = tap0 < filterSize ? Math.ceil((filterSize - tap0) / stride) : 0;
    // Inputs i = s·q + tap0 − pad; the phase starts at the smallest q with i ≥ 0.
    const qFirst = Math.ceil((padBefore - tap0) / stride);
    const first = stride * qFirst + tap0 - padBefore;
    const count = first < inSize ? Math.ceil((inSize - first) / stride) : 0;
    // dx[q] = Σ_j dy[q − j] · w[tap0 + s·j]: a correlation with the flipped sub-filter.
    return { tap0, taps, first, count, fit: fitAxis(dyLength, taps - 1 - qFirst, count + taps - 1) };
  });
}

function phaseInputGradient(scope: KernelScope, dy: TensorInfo, filter: TensorInfo, rows: ForwardAxis, cols: ForwardAxis, kind: FlippedCorrelation): TensorInfo {
  const [kh, kw, ...rest] = filter.shape as [number, number, number, number];
  const parts: Array<{ row: Phase; col: Phase; values: TensorInfo }> = [];
  for (const row of phases(rows, dy.shape[1]!)) {
    for (const col of phases(cols, dy.shape[2]!)) {
      if (row.taps === 0 || col.taps === 0 || row.count === 0 || col.count === 0) continue;
      const subFilter = scope.run(
        'StridedSlice',
        { x: filter },
        { begin: [row.tap0, col.tap0, 0, 0], end: [kh, kw, ...rest], strides: [rows.stride, cols.stride, 1, 1], beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 },
      );
      const values = kind.correlate(scope, cropSpatial(scope, dy, row.fit, col.fit), kind.flip(scope, subFilter), [1, 1], explicitPadding(row.fit, col.fit));
      parts.push({ row, col, values });
    }
  }
  const dx = scope.zeros([dy.shape[0]!, rows.inSize, cols.inSize, kind.channels], 'float32');
  interleave(scope, dx, parts, rows.stride, cols.stride);
  return dx;
}

/** Writes each phase's [B, rows, cols, C] values to dx[b, first + s·t, …]. */
function interleave(scope: KernelScope, dx: TensorInfo, parts: Array<{ row: Phase; col: Phase; values: TensorInfo }>, rowStride: number, colStride: number): void {
  const [batch, height, width, channels] = dx.shape as [number, number, number, number];
  const out = scope.view(dx);
  for (const { row, col, values } of parts) {
    const src = scope.view(values);
    let at = 0;
    for (let b = 0; b < batch; b++) {
      for (let r = 0; r < row.count; r++) {
        const rowStart = ((b * height + row.first + r * rowStride) * width + col.first) * channels;
        for (let c = 0; c < col.count; c++) {
          const to = rowStart + c * colStride * channels;
          for (let ch = 0; ch < channels; ch++) out[to + ch] = src[at++]!;
        }
      }
    }
  }
}

/**
 * [B, H, W, C] → [B, H·sh, W·sw, C] with dy[b, h, w] at (h·sh, w·sw) and zeros elsewhere, as two
 * rank-4 pads (the wasm PadV2 copies rows with memcpy up to rank 4). Used only when stride and
 * dilation are both above 1; the trailing zeros only meet taps outside the input.
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
