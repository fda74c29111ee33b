// One tfjs training step (Adam, cross-entropy, batch 128) of a @selfkd/models model, timed, with
// the selfkd trainer's Adam (PyTorch's rule, as torch_step.py).
// Usage: node benchmarks/step-time/tfjs-step.mjs MODEL BACKEND WARMUP STEPS [profile]
// BACKEND: cpu | wasm-stock | wasm-kernels | wasm-unfused (wasm-kernels without the package's fused
// kernels: BatchNorm, ReLU's gradient, Adam). Prints one JSON object: {"times": [ms...]} or {"error": "..."};
// with `profile`, also {"kernels": {name: {ms, macs}}}: time and multiply-adds of each kernel per step,
// averaged over PROFILED_STEPS more steps (tf.profile; op-level "__op" scopes, which contain
// kernels, are left out).
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { oneHotFloat, softTargetCrossEntropy } from '@selfkd/core';
import { createModel } from '@selfkd/models';
import { createOptimizer } from '@selfkd/trainer';
import { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from '@selfkd/wasm-kernels';

export const MODELS = {
  mlp: { config: { name: 'mlp' }, inputShape: [28, 28, 1] },
  cnn: { config: { name: 'cnn' }, inputShape: [28, 28, 1] },
  resnet18: { config: { name: 'resnet18', width: 0.25 }, inputShape: [32, 32, 3] },
  'resnet18-full': { config: { name: 'resnet18', width: 1 }, inputShape: [32, 32, 3] },
};
const BACKENDS = ['cpu', 'wasm-stock', 'wasm-kernels', 'wasm-unfused'];
const LEARNING_RATE = 1e-3;
const BATCH = 128;
const PROFILED_STEPS = 3;

async function main() {
  const [name, backend, warmup, steps, profile] = process.argv.slice(2);
  const spec = MODELS[name];
  if (!spec || !BACKENDS.includes(backend)) {
    throw new Error(`usage: tfjs-step.mjs (${Object.keys(MODELS).join('|')}) (${BACKENDS.join('|')}) WARMUP STEPS`);
  }
  await tf.setBackend(backend === 'cpu' ? 'cpu' : 'wasm');
  if (backend === 'wasm-kernels' || backend === 'wasm-unfused') {
    const { fused } = registerWasmTrainingKernels();
    // The models, the trainer's Adam and Relu's gradient take their tensor-op paths without these.
    if (backend === 'wasm-unfused') for (const name of fused) tf.unregisterKernel(name, 'wasm');
  } else {
    unregisterWasmTrainingKernels();
  }

  const model = createModel(spec.config, { inputShape: spec.inputShape, numClasses: 10, seed: 0 });
  const x = tf.randomNormal([BATCH, ...spec.inputShape], 0, 1, 'float32', 0);
  const target = oneHotFloat(Array.from({ length: BATCH }, (_, i) => i % 10), 10);
  const variables = model.trainableVariables;
  const optimizer = createOptimizer({ name: 'adam', lr: LEARNING_RATE, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }, variables);
  const step = () => {
    const { value: loss, grads } = tf.variableGrads(() => softTargetCrossEntropy(model.forward(x, true).logits, target), variables);
    optimizer.apply(variables.map((v) => grads[v.name]), LEARNING_RATE);
    const value = loss.dataSync()[0];
    tf.dispose([loss, grads]);
    if (!Number.isFinite(value)) throw new Error(`loss is ${value}`);
  };
  for (let i = 0; i < Number(warmup); i++) step();
  const times = [];
  for (let i = 0; i < Number(steps); i++) {
    const start = performance.now();
    step();
    times.push(performance.now() - start);
  }
  if (profile !== 'profile') return { times };
  const kernels = {};
  for (let i = 0; i < PROFILED_STEPS; i++) {
    for (const k of (await tf.profile(step)).kernels) {
      if (k.name.endsWith('__op')) continue;
      const entry = (kernels[k.name] ??= { ms: 0, macs: 0 });
      entry.ms += k.kernelTimeMs / PROFILED_STEPS;
      entry.macs += multiplyAdds(k.name, k.inputShapes, k.outputShapes[0]) / PROFILED_STEPS;
    }
  }
  return { times, kernels };
}

const size = (shape) => shape.reduce((a, b) => a * b, 1);

/** Multiply-adds of a convolution or matrix product kernel (0 for other kernels). */
function multiplyAdds(name, [first, second], out) {
  switch (name) {
    case 'Conv2D':
    case 'FusedConv2D': // out · kh·kw·ci, with filter [kh, kw, ci, co]
      return size(out) * size(second.slice(0, 3));
    case 'Conv2DBackpropInput': // dy · kh·kw·ci
      return size(first) * size(second.slice(0, 3));
    case 'Conv2DBackpropFilter': // dy · kh·kw·ci, with the filter gradient [kh, kw, ci, co] as output
      return size(second) * size(out.slice(0, 3));
    case 'BatchMatMul':
    case '_FusedMatMul': // m·n·k with k = size(a) / m for one matrix pair
      return size(out) * (size(first) / out[out.length - 2]);
    default:
      return 0;
  }
}

main().then(
  (result) => console.log(JSON.stringify(result)),
  (error) => console.log(JSON.stringify({ error: String(error.message ?? error).split('\n')[0] })),
);
