// One tfjs training step (Adam, cross-entropy, batch 128) of a @selfkd/models model, timed.
// Usage: node benchmarks/step-time/tfjs-step.mjs MODEL BACKEND WARMUP STEPS [profile]
// BACKEND: cpu | wasm-stock | wasm-kernels. Prints one JSON object: {"times": [ms...]} or {"error": "..."};
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
import { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from '@selfkd/wasm-kernels';

export const MODELS = {
  mlp: { config: { name: 'mlp' }, inputShape: [28, 28, 1] },
  cnn: { config: { name: 'cnn' }, inputShape: [28, 28, 1] },
  resnet18: { config: { name: 'resnet18', width: 0.25 }, inputShape: [32, 32, 3] },
};
const BATCH = 128;
const PROFILED_STEPS = 3;

async function main() {
  const [name, backend, warmup, steps, profile] = process.argv.slice(2);
  const spec = MODELS[name];
  if (!spec || !['cpu', 'wasm-stock', 'wasm-kernels'].includes(backend)) {
    throw new Error(`usage: tfjs-step.mjs (${Object.keys(MODELS).join('|')}) (cpu|wasm-stock|wasm-kernels) WARMUP STEPS`);
  }
  await tf.setBackend(backend === 'cpu' ? 'cpu' : 'wasm');
  if (backend === 'wasm-kernels') registerWasmTrainingKernels();
  else unregisterWasmTrainingKernels();

  const model = createModel(spec.config, { inputShape: spec.inputShape, numClasses: 10, seed: 0 });
  const x = tf.randomNormal([BATCH, ...spec.inputShape], 0, 1, 'float32', 0);
  const target = oneHotFloat(Array.from({ length: BATCH }, (_, i) => i % 10), 10);
  const optimizer = tf.train.adam(1e-3);
  const step = () => {
    const loss = optimizer.minimize(() => softTargetCrossEntropy(model.forward(x, true).logits, target), true, model.trainableVariables);
    const value = loss.dataSync()[0];
    loss.dispose();
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
