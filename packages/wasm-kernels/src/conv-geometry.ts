import { backend_util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { ExplicitPadding, KernelScope } from './kernel-scope.js';

export type PadAttr = 'valid' | 'same' | number | backend_util.ExplicitPadding;
export type RoundingAttr = 'floor' | 'round' | 'ceil' | undefined;

/**
 * How to feed one spatial axis of a tensor to a correlation that must read exactly `span`
 * positions starting `before` positions ahead of the tensor: XNNPACK takes only non-negative
 * padding, so a negative pad becomes a crop of the tensor (`begin`, `size`).
 */
export interface AxisFit {
  padBefore: number;
  padAfter: number;
  begin: number;
  size: number;
}

/** The window [−before, −before + span) over an axis of `length` entries, as pads plus a crop. */
export function fitAxis(length: number, before: number, span: number): AxisFit {
  const end = span - before;
  return {
    padBefore: Math.max(0, before),
    padAfter: Math.max(0, end - length),
    begin: Math.max(0, -before),
    size: Math.min(length, end) - Math.max(0, -before),
  };
}

export function explicitPadding(rows: AxisFit, cols: AxisFit): ExplicitPadding {
  return [
    [0, 0],
    [rows.padBefore, rows.padAfter],
    [cols.padBefore, cols.padAfter],
    [0, 0],
  ];
}

export function needsCrop(fit: AxisFit, length: number): boolean {
  return fit.begin !== 0 || fit.size !== length;
}

export function requireChannelsLast(kernelName: string, dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`${kernelName} on wasm supports dataFormat 'NHWC' only (the wasm backend is channels-last), got '${dataFormat}'`);
  }
}

/**
 * The filter-gradient correlation along one axis reads input positions −pad … (k−1)·d + (o−1)·s − pad;
 * anything past that would only add filter taps that do not exist.
 */
export function filterGradientAxis(length: number, padBefore: number, filterSize: number, dilation: number, outSize: number, stride: number): AxisFit {
  return fitAxis(length, padBefore, (filterSize - 1) * dilation + (outSize - 1) * stride + 1);
}

/** Crops axes 1 and 2 of an NHWC-shaped tensor to the fitted windows (only when they need it). */
export function cropSpatial(scope: KernelScope, t: TensorInfo, rows: AxisFit, cols: AxisFit): TensorInfo {
  const [n, height, width, c] = t.shape as [number, number, number, number];
  if (!needsCrop(rows, height) && !needsCrop(cols, width)) return t;
  return scope.slice(t, [0, rows.begin, cols.begin, 0], [n, rows.size, cols.size, c]);
}

/**
 * Whether a convolution with the explicit padding of `info` has the output's (dy's) spatial size. tfjs sizes a
 * numeric padding with the row stride on both axes, so with unequal strides it may not.
 */
export function patchesLineUp(info: backend_util.Conv2DInfo): boolean {
  const { top, bottom, left, right } = info.padInfo;
  const rows = Math.floor((info.inHeight + top + bottom - info.filterHeight) / info.strideHeight) + 1;
  const cols = Math.floor((info.inWidth + left + right - info.filterWidth) / info.strideWidth) + 1;
  return rows === info.outHeight && cols === info.outWidth;
}
