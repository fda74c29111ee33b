import { engine, util, type GradConfig, type KernelFunc, type NamedAttrMap, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { channelPasses, type ChannelPasses } from '../simd/channel-passes.js';
import { scalarChannelPasses } from '../scalar-channel-passes.js';
import { withOutputs } from '../heap-outputs.js';

/**
 * A training-mode BatchNorm over the last axis as one kernel, with its gradient as a second one,
 * in place of tf.moments + tf.batchNorm, whose forward and autodiff gradient make some twenty
 * elementwise passes per layer:
 *
 *   TrainingBatchNorm({x, scale, offset}, {varianceEpsilon}) → [y, mean, variance]
 *   TrainingBatchNormGrad({dy, x, mean, variance, scale}, {varianceEpsilon}) → [dx, dScale, dOffset]
 *
 * `variance` is the biased batch variance (as tf.moments). The forward is two passes over x (the
 * per-channel sums, then y), the gradient two passes over dy and x. Only y carries a gradient:
 * mean and variance feed the running statistics, outside the loss.
 */
export const TRAINING_BATCH_NORM = 'SelfkdTrainingBatchNorm';
export const TRAINING_BATCH_NORM_GRAD = 'SelfkdTrainingBatchNormGrad';

/**
 * Rows summed in float32 before the sums go into float64: bounds the rounding of the sums over
 * a large batch (131 072 rows in ResNet-18's first layers) to that of sums of this many terms.
 */
const ROWS_PER_PARTIAL_SUM = 256;
const BYTES = Float32Array.BYTES_PER_ELEMENT;

interface Attrs {
  varianceEpsilon: number;
}

function checkInput(kernel: string, name: string, t: TensorInfo, channels?: number): void {
  if (t.dtype !== 'float32') throw new Error(`${kernel}: ${name} must be float32, got ${t.dtype}`);
  if (channels !== undefined && (t.shape.length !== 1 || t.shape[0] !== channels)) {
    throw new Error(`${kernel}: ${name} must have shape [${channels}] (the channels of x), got [${t.shape.join(', ')}]`);
  }
}

/** SIMD passes where the channels come in fours and the heap is reachable, scalar ones otherwise. */
function passesFor(backend: BackendWasm, channels: number, heap: Float32Array): ChannelPasses {
  return (channels % 4 === 0 ? channelPasses(backend) : undefined) ?? scalarChannelPasses(heap);
}

/**
 * Per-channel Σ(a − shiftA) and Σ(a − shiftA)(b − shiftB) over all rows, in float64 from float32
 * partial sums of ROWS_PER_PARTIAL_SUM rows. `partial` is the byte address of 2·channels scratch floats.
 */
function channelSums(
  passes: ChannelPasses,
  heap: Float32Array,
  [a, b, shiftA, shiftB, partial]: [number, number, number, number, number],
  rows: number,
  channels: number,
): { sumA: Float64Array; sumAB: Float64Array } {
  const sumA = new Float64Array(channels);
  const sumAB = new Float64Array(channels);
  const rowBytes = channels * BYTES;
  const partialA = heap.subarray(partial / BYTES, partial / BYTES + channels);
  const partialAB = heap.subarray(partial / BYTES + channels, partial / BYTES + 2 * channels);
  for (let row = 0; row < rows; row += ROWS_PER_PARTIAL_SUM) {
    const count = Math.min(ROWS_PER_PARTIAL_SUM, rows - row);
    partialA.fill(0);
    partialAB.fill(0);
    passes.sums(a + row * rowBytes, b + row * rowBytes, count, rowBytes, shiftA, shiftB, partial, partial + rowBytes);
    for (let c = 0; c < channels; c++) {
      sumA[c]! += partialA[c]!;
      sumAB[c]! += partialAB[c]!;
    }
  }
  return { sumA, sumAB };
}

export const trainingBatchNorm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, scale, offset } = inputs as Record<'x' | 'scale' | 'offset', TensorInfo>;
  const { varianceEpsilon } = attrs as unknown as Attrs;
  const wasm = backend as BackendWasm;
  const channels = x.shape[x.shape.length - 1]!;
  const rows = util.sizeFromShape(x.shape) / channels;
  checkInput(TRAINING_BATCH_NORM, 'x', x);
  checkInput(TRAINING_BATCH_NORM, 'scale', scale, channels);
  checkInput(TRAINING_BATCH_NORM, 'offset', offset, channels);
  if (rows === 0) throw new Error(`${TRAINING_BATCH_NORM}: x must hold at least one row, got shape [${x.shape.join(', ')}]`);

  // Scratch: shift, two partial sums, and the affine map's scale and offset.
  return withOutputs(wasm, [x.shape, [channels], [channels]], 5 * channels, (heap, address, [y, mean, variance], scratchAt) => {
    const [xAt, shiftAt, partialAt, mapScaleAt, mapOffsetAt] = [address(x), scratchAt, scratchAt + channels * BYTES, scratchAt + 3 * channels * BYTES, scratchAt + 4 * channels * BYTES];
    const f32 = (byteAddress: number) => byteAddress / BYTES;
    // Sums around the first row rather than zero keep E[x²] − E[x]² free of cancellation.
    heap.copyWithin(f32(shiftAt), f32(xAt), f32(xAt) + channels);
    const passes = passesFor(wasm, channels, heap);
    const { sumA, sumAB } = channelSums(passes, heap, [xAt, xAt, shiftAt, shiftAt, partialAt], rows, channels);
    const [meanAt, varianceAt, scaleAt, offsetAt] = [mean!, variance!, scale, offset].map(address) as [number, number, number, number];
    for (let c = 0; c < channels; c++) {
      const shifted = sumA[c]! / rows;
      const batchMean = heap[f32(shiftAt) + c]! + shifted;
      const batchVariance = Math.max(0, sumAB[c]! / rows - shifted * shifted);
      const factor = heap[f32(scaleAt) + c]! / Math.sqrt(batchVariance + varianceEpsilon);
      heap[f32(meanAt) + c] = batchMean;
      heap[f32(varianceAt) + c] = batchVariance;
      heap[f32(mapScaleAt) + c] = factor;
      heap[f32(mapOffsetAt) + c] = heap[f32(offsetAt) + c]! - batchMean * factor;
    }
    passes.affine(xAt, address(y!), rows, channels * BYTES, mapScaleAt, mapOffsetAt);
  });
};

export const trainingBatchNormGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x, mean, variance, scale } = inputs as Record<'dy' | 'x' | 'mean' | 'variance' | 'scale', TensorInfo>;
  const { varianceEpsilon } = attrs as unknown as Attrs;
  const wasm = backend as BackendWasm;
  const channels = x.shape[x.shape.length - 1]!;
  const rows = util.sizeFromShape(x.shape) / channels;
  checkInput(TRAINING_BATCH_NORM_GRAD, 'x', x);
  if (!util.arraysEqual(dy.shape, x.shape)) throw new Error(`${TRAINING_BATCH_NORM_GRAD}: dy must have x's shape [${x.shape.join(', ')}], got [${dy.shape.join(', ')}]`);
  checkInput(TRAINING_BATCH_NORM_GRAD, 'dy', dy);
  for (const [name, t] of Object.entries({ mean, variance, scale })) checkInput(TRAINING_BATCH_NORM_GRAD, name, t, channels);

  // Scratch: zeros (dy's shift), two partial sums, and the three coefficients of dx.
  return withOutputs(wasm, [x.shape, [channels], [channels]], 6 * channels, (heap, address, [dx, dScale, dOffset], zerosAt) => {
    const f32 = (byteAddress: number) => byteAddress / BYTES;
    const [partialAt, dyFactorAt, xFactorAt, constantAt] = [1, 3, 4, 5].map((k) => zerosAt + k * channels * BYTES) as [number, number, number, number];
    heap.fill(0, f32(zerosAt), f32(zerosAt) + channels);
    const [dyAt, xAt, meanAt, varianceAt, scaleAt] = [dy, x, mean, variance, scale].map(address) as [number, number, number, number, number];
    const passes = passesFor(wasm, channels, heap);
    // Σdy and Σdy·(x − mean), the sums behind dOffset, dScale and the mean/variance paths of dx.
    const { sumA: sumDy, sumAB: sumDyCentred } = channelSums(passes, heap, [dyAt, xAt, zerosAt, meanAt, partialAt], rows, channels);
    const [dScaleAt, dOffsetAt] = [address(dScale!), address(dOffset!)];
    for (let c = 0; c < channels; c++) {
      const inverseStd = 1 / Math.sqrt(heap[f32(varianceAt) + c]! + varianceEpsilon);
      const gain = heap[f32(scaleAt) + c]! * inverseStd;
      // dx = gain·(dy − Σdy/N − (x − mean)·inverseStd²·Σdy(x − mean)/N)
      const xFactor = (-gain * inverseStd * inverseStd * sumDyCentred[c]!) / rows;
      heap[f32(dOffsetAt) + c] = sumDy[c]!;
      heap[f32(dScaleAt) + c] = sumDyCentred[c]! * inverseStd;
      heap[f32(dyFactorAt) + c] = gain;
      heap[f32(xFactorAt) + c] = xFactor;
      heap[f32(constantAt) + c] = (-gain * sumDy[c]!) / rows - xFactor * heap[f32(meanAt) + c]!;
    }
    passes.affine2(dyAt, xAt, address(dx!), rows, channels * BYTES, dyFactorAt, xFactorAt, constantAt);
  });
};

/** The gradient of TrainingBatchNorm: y's gradient through the second kernel; mean and variance carry none. */
export const trainingBatchNormGradConfig: GradConfig = {
  kernelName: TRAINING_BATCH_NORM,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    const [x, scale, mean, variance] = saved as [Tensor, Tensor, Tensor, Tensor];
    const dy = (dys as Tensor[])[0]!;
    const [dx, dScale, dOffset] = engine().runKernel(TRAINING_BATCH_NORM_GRAD, { dy, x, mean, variance, scale }, attrs as NamedAttrMap) as Tensor[];
    return { x: () => dx!, scale: () => dScale!, offset: () => dOffset! };
  },
};
