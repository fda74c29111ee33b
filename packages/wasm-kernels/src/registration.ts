import '@tensorflow/tfjs-backend-wasm';
import { getKernel, registerGradient, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';
import { conv2d, fusedConv2d } from './kernels/conv2d.js';
import { conv2dBackpropFilter } from './kernels/conv2d-backprop-filter.js';
import { conv2dBackpropInput } from './kernels/conv2d-backprop-input.js';
import { depthwiseConv2dNativeBackpropFilter, depthwiseConv2dNativeBackpropInput } from './kernels/depthwise-backprop.js';
import { add, multiply, realDiv, squaredDifference, sub } from './kernels/channel-broadcast.js';
import { fusedBatchNorm } from './kernels/batch-norm.js';
import { TRAINING_BATCH_NORM, TRAINING_BATCH_NORM_GRAD, trainingBatchNorm, trainingBatchNormGrad, trainingBatchNormGradConfig } from './kernels/training-batch-norm.js';
import { cast, identity } from './kernels/identity.js';
import { batchMatMul, fusedMatMul } from './kernels/mat-mul.js';
import { mean, sum } from './kernels/reduce.js';
import { slice } from './kernels/slice.js';
import { tile } from './kernels/tile.js';
import { maxPoolGrad } from './kernels/max-pool-grad.js';
import { ADAM_UPDATE, adamUpdate } from './kernels/adam-update.js';
import { installReluGradient, RELU_GRAD, reluGrad, restoreReluGradient } from './kernels/relu-grad.js';
import { unsortedSegmentSum } from './kernels/unsorted-segment-sum.js';
import { captureStock } from './stock.js';

interface TrainingKernel {
  name: string;
  /**
   * `missing`: the wasm backend has none; `replacement`: the stock one is correct but slow;
   * `fusion`: a kernel of this package's own that callers use when it is registered.
   */
  role: 'missing' | 'replacement' | 'fusion';
  kernelFunc: KernelFunc;
}

const trainingKernels: readonly TrainingKernel[] = [
  { name: 'Conv2DBackpropFilter', role: 'missing', kernelFunc: conv2dBackpropFilter },
  { name: 'DepthwiseConv2dNativeBackpropFilter', role: 'missing', kernelFunc: depthwiseConv2dNativeBackpropFilter },
  { name: 'DepthwiseConv2dNativeBackpropInput', role: 'missing', kernelFunc: depthwiseConv2dNativeBackpropInput },
  { name: 'UnsortedSegmentSum', role: 'missing', kernelFunc: unsortedSegmentSum },
  { name: 'Conv2D', role: 'replacement', kernelFunc: conv2d },
  { name: 'FusedConv2D', role: 'replacement', kernelFunc: fusedConv2d },
  { name: 'Conv2DBackpropInput', role: 'replacement', kernelFunc: conv2dBackpropInput },
  { name: 'MaxPoolGrad', role: 'replacement', kernelFunc: maxPoolGrad },
  { name: 'BatchMatMul', role: 'replacement', kernelFunc: batchMatMul },
  { name: '_FusedMatMul', role: 'replacement', kernelFunc: fusedMatMul },
  { name: 'Tile', role: 'replacement', kernelFunc: tile },
  { name: 'Sum', role: 'replacement', kernelFunc: sum },
  { name: 'Mean', role: 'replacement', kernelFunc: mean },
  { name: 'Identity', role: 'replacement', kernelFunc: identity },
  { name: 'Cast', role: 'replacement', kernelFunc: cast },
  { name: 'Multiply', role: 'replacement', kernelFunc: multiply },
  { name: 'Add', role: 'replacement', kernelFunc: add },
  { name: 'Sub', role: 'replacement', kernelFunc: sub },
  { name: 'RealDiv', role: 'replacement', kernelFunc: realDiv },
  { name: 'SquaredDifference', role: 'replacement', kernelFunc: squaredDifference },
  { name: 'FusedBatchNorm', role: 'replacement', kernelFunc: fusedBatchNorm },
  { name: 'Slice', role: 'replacement', kernelFunc: slice },
  { name: TRAINING_BATCH_NORM, role: 'fusion', kernelFunc: trainingBatchNorm },
  { name: TRAINING_BATCH_NORM_GRAD, role: 'fusion', kernelFunc: trainingBatchNormGrad },
  { name: RELU_GRAD, role: 'fusion', kernelFunc: reluGrad },
  { name: ADAM_UPDATE, role: 'fusion', kernelFunc: adamUpdate },
];

/** Every kernel this package can register for the wasm backend. */
export const kernelNames: readonly string[] = trainingKernels.map((k) => k.name);

export interface RegistrationOptions {
  /** Also replace the stock kernels that are correct but slow (default true). */
  replaceSlow?: boolean;
}

export interface RegisteredKernels {
  /** Kernels the wasm backend lacked, now provided by this package. */
  added: string[];
  /** Stock kernels now replaced by this package's faster ones. */
  replaced: string[];
  /** Fused kernels of this package's own (see the README), registered with `replaceSlow`. */
  fused: string[];
}

const ours = new Map<string, KernelConfig>(trainingKernels.map((k) => [k.name, { kernelName: k.name, backendName: 'wasm', kernelFunc: k.kernelFunc }]));

/**
 * Gives the tfjs wasm backend every kernel needed to train convnets and replaces its slow ones.
 * Idempotent: the registry afterwards holds exactly what `options` asks for, whatever was
 * registered before. Works before or after `tf.setBackend('wasm')`.
 */
export function registerWasmTrainingKernels(options: RegistrationOptions = {}): RegisteredKernels {
  const replaceSlow = options.replaceSlow ?? true;
  if (typeof replaceSlow !== 'boolean') {
    throw new Error(`registerWasmTrainingKernels: options.replaceSlow must be a boolean, got ${JSON.stringify(replaceSlow)}`);
  }
  const result: RegisteredKernels = { added: [], replaced: [], fused: [] };
  // Gradients are registered per kernel name for every backend; this one only runs where the
  // kernel it differentiates is registered, that is on wasm with this package's kernels.
  registerGradient(trainingBatchNormGradConfig);
  if (replaceSlow) installReluGradient();
  else restoreReluGradient();
  for (const kernel of trainingKernels) {
    const wanted = kernel.role === 'missing' || replaceSlow;
    if (wanted) {
      install(kernel.name);
      ({ missing: result.added, replacement: result.replaced, fusion: result.fused })[kernel.role].push(kernel.name);
    } else {
      restore(kernel.name);
    }
  }
  return result;
}

/** Puts the wasm backend's registry back as shipped: stock kernels restored, added ones removed. */
export function unregisterWasmTrainingKernels(): void {
  for (const kernel of trainingKernels) restore(kernel.name);
  restoreReluGradient();
}

function install(name: string): void {
  const mine = ours.get(name)!;
  const current = getKernel(name, 'wasm');
  if (current === mine) return;
  if (current) {
    captureStock(name);
    unregisterKernel(name, 'wasm');
  }
  registerKernel(mine);
}

function restore(name: string): void {
  if (getKernel(name, 'wasm') !== ours.get(name)) return;
  unregisterKernel(name, 'wasm');
  const stock = captureStock(name);
  if (stock) registerKernel(stock);
}
