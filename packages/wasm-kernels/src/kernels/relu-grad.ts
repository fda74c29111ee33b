import { cast, engine, getBackend, getGradient, getKernel, mul, registerGradient, step, unregisterGradient, type GradConfig, type KernelFunc, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { simdReluGrad } from '../simd/relu-grad.js';

/**
 * ReLU's gradient as one kernel: tfjs differentiates Relu as dy · cast(step(x)), a scalar Step
 * loop, a Cast and a Multiply over every activation of the network. This is one SIMD pass:
 *
 *   ReluGrad({dy, x}) → dx = dy where x > 0, else 0
 *
 * A NaN in x gives 0 here where step's NaN would propagate into dx.
 */
export const RELU_GRAD = 'SelfkdReluGrad';

export const reluGrad: KernelFunc = ({ inputs, backend }) => {
  const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') throw new Error(`${RELU_GRAD}: dy and x must be float32, got ${dy.dtype} and ${x.dtype}`);
  const wasm = backend as BackendWasm;
  const dx = wasm.makeOutput(x.shape, 'float32');
  const [dyValues, xValues, dxValues] = [dy, x, dx].map((t) => wasm.typedArrayFromHeap(t) as Float32Array) as [Float32Array, Float32Array, Float32Array];
  if (dyValues.length !== xValues.length) {
    wasm.disposeData(dx.dataId);
    throw new Error(`${RELU_GRAD}: dy must have x's shape [${x.shape.join(', ')}], got [${dy.shape.join(', ')}]`);
  }
  const simd = simdReluGrad(wasm);
  // The SIMD pass covers whole groups of four; the rest goes one by one.
  const grouped = simd ? xValues.length - (xValues.length % 4) : 0;
  if (simd && grouped > 0) simd(dyValues.byteOffset, xValues.byteOffset, dxValues.byteOffset, grouped * Float32Array.BYTES_PER_ELEMENT);
  for (let i = grouped; i < xValues.length; i++) dxValues[i] = xValues[i]! > 0 ? dyValues[i]! : 0;
  return dx;
};

/** The Relu gradient registered before ours (tfjs's own), to put back on unregistering. */
let stockReluGradient: GradConfig | undefined;

/** Relu's gradient through ReluGrad where the current backend has it, tfjs's formula elsewhere. */
const reluGradConfig: GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [Tensor];
    if (getKernel(RELU_GRAD, getBackend()) === undefined || x.dtype !== 'float32') return { x: () => mul(dy as Tensor, cast(step(x), 'float32')) };
    return { x: () => engine().runKernel(RELU_GRAD, { dy: dy as Tensor, x }) as Tensor };
  },
};

/**
 * Makes Relu's gradient use ReluGrad where registered (gradients are registered per kernel name
 * for every backend); remembers the gradient it replaces.
 */
export function installReluGradient(): void {
  const current = getGradient('Relu') as GradConfig | undefined;
  if (current === reluGradConfig) return;
  stockReluGradient = current;
  registerGradient(reluGradConfig);
}

/** Puts back the Relu gradient that installReluGradient replaced. */
export function restoreReluGradient(): void {
  if (getGradient('Relu') !== reluGradConfig) return;
  if (stockReluGradient) registerGradient(stockReluGradient);
  else unregisterGradient('Relu');
}
