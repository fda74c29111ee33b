/** The kernel size × stride × padding matrix the convolution kernels are tested on. */
export type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

export const kernelSizes = [
  [1, 1],
  [3, 3],
  [5, 5],
  [3, 2],
] as const;
export const strideCases: Array<number | [number, number]> = [1, 2, [2, 1], [1, 3]];
export const padCases: Pad[] = ['same', 'valid', [[0, 0], [1, 2], [0, 1], [0, 0]], 1];

/** float32 sums of up to a few hundred products, accumulated in another order than the cpu backend. */
export const CONV_RELATIVE_TOLERANCE = 1e-5;
