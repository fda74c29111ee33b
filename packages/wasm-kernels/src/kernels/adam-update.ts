import { util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { withOutputs } from '../heap-outputs.js';
import { ADAM_CONSTANTS, AdamConstant, simdAdam } from '../simd/adam-update.js';

/**
 * One Adam step (PyTorch's rule with L2 weight decay, as @selfkd/trainer's optimizer) for one
 * variable as one pass, where the tensor formula makes about ten passes and kernel calls:
 *
 *   AdamUpdate({variable, gradient, m, v}, {beta1, beta2, epsilon, weightDecay, stepSize, varianceCorrection})
 *     → [variable', m', v']
 *
 * with stepSize = lr / (1 − β1^t) and varianceCorrection = √(1 − β2^t); see simd/adam-update.ts
 * for the formula, rounded to float32 after each operation as the tensor ops are.
 */
export const ADAM_UPDATE = 'SelfkdAdamUpdate';

interface Attrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  stepSize: number;
  varianceCorrection: number;
}

export const adamUpdate: KernelFunc = ({ inputs, backend, attrs }) => {
  const { variable, gradient, m, v } = inputs as Record<'variable' | 'gradient' | 'm' | 'v', TensorInfo>;
  const a = attrs as unknown as Attrs;
  for (const [name, t] of Object.entries({ variable, gradient, m, v })) {
    if (t.dtype !== 'float32') throw new Error(`${ADAM_UPDATE}: ${name} must be float32, got ${t.dtype}`);
    if (!util.arraysEqual(t.shape, variable.shape)) throw new Error(`${ADAM_UPDATE}: ${name} must have the variable's shape [${variable.shape.join(', ')}], got [${t.shape.join(', ')}]`);
  }
  const wasm = backend as BackendWasm;
  return withOutputs(wasm, [variable.shape, variable.shape, variable.shape], ADAM_CONSTANTS, (heap, address, outputs, constantsAt) => {
    const size = util.sizeFromShape(variable.shape);
    const [w, g, mIn, vIn, wOut, mOut, vOut, constants] = [...[variable, gradient, m, v, ...outputs].map(address), constantsAt].map((at, i) =>
      heap.subarray(at / 4, at / 4 + (i < 7 ? size : ADAM_CONSTANTS)),
    ) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    // As the tensor formula's scalars: each constant is one float32.
    const values: Record<keyof typeof AdamConstant, number> = {
      weightDecay: a.weightDecay,
      beta1: a.beta1,
      oneMinusBeta1: 1 - a.beta1,
      beta2: a.beta2,
      oneMinusBeta2: 1 - a.beta2,
      varianceCorrection: a.varianceCorrection,
      epsilon: a.epsilon,
      stepSize: a.stepSize,
    };
    for (const [name, offset] of Object.entries(AdamConstant)) constants[offset] = values[name as keyof typeof AdamConstant];
    const simd = simdAdam(wasm);
    const grouped = simd ? size - (size % 4) : 0;
    if (simd && grouped > 0) {
      simd(w.byteOffset, g.byteOffset, mIn.byteOffset, vIn.byteOffset, wOut.byteOffset, mOut.byteOffset, vOut.byteOffset, grouped * 4, constants.byteOffset);
    }
    const k = (name: keyof typeof AdamConstant) => constants[AdamConstant[name]]!;
    const f = Math.fround;
    for (let i = grouped; i < size; i++) {
      const decayed = f(g[i]! + f(w[i]! * k('weightDecay')));
      const mNext = f(f(mIn[i]! * k('beta1')) + f(decayed * k('oneMinusBeta1')));
      const vNext = f(f(vIn[i]! * k('beta2')) + f(f(decayed * decayed) * k('oneMinusBeta2')));
      const denominator = f(f(f(Math.sqrt(vNext)) / k('varianceCorrection')) + k('epsilon'));
      mOut[i] = mNext;
      vOut[i] = vNext;
      wOut[i] = f(w[i]! - f(f(mNext / denominator) * k('stepSize')));
    }
  });
};
