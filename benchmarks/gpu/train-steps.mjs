// Times training steps of a CIFAR ResNet-18 (forward, backward, SGD with momentum; softmax
// cross-entropy; the loss read back once per step, as selfkd's trainer does) on the webgpu
// backend, on CIFAR-shaped random data, then profiles one more step kernel by kernel.
// Prints one JSON object. Run from the repository root after `npx tsc -b`:
//   node benchmarks/gpu/train-steps.mjs [--width=1] [--batch=128] [--warmup=3] [--steps=20] [--classes=100]
import console from 'node:console';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat, softTargetCrossEntropy } from '@selfkd/core';
import { createModel } from '@selfkd/models';
import { releaseBackend, selectBackend } from '@selfkd/trainer';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const WIDTH = Number(args.width ?? 1);
const BATCH = Number(args.batch ?? 128);
const WARMUP = Number(args.warmup ?? 3);
const STEPS = Number(args.steps ?? 20);
const CLASSES = Number(args.classes ?? 100);
const INPUT = [32, 32, 3];

const size = (shape) => shape.reduce((a, b) => a * b, 1);

/** Multiply-adds of a convolution kernel (0 for other kernels); shapes as tf.profile reports them. */
function convMultiplyAdds(name, [first, second], out) {
  switch (name) {
    case 'Conv2D':
    case 'FusedConv2D':
      return size(out) * size(second.slice(0, 3));
    case 'Conv2DBackpropInput':
      return size(first) * size(second.slice(0, 3));
    case 'Conv2DBackpropFilter':
      return size(second) * size(out.slice(0, 3));
    default:
      return 0;
  }
}

const backend = await selectBackend('webgpu');
const model = createModel({ name: 'resnet18', width: WIDTH }, { inputShape: INPUT, numClasses: CLASSES, seed: 0 });
const x = tf.randomUniform([BATCH, ...INPUT], 0, 1, 'float32', 0);
const target = oneHotFloat(Array.from({ length: BATCH }, (_, i) => i % CLASSES), CLASSES);
const optimizer = tf.train.momentum(0.1, 0.9);
const step = async () => {
  const loss = optimizer.minimize(() => softTargetCrossEntropy(model.forward(x, true).logits, target), true, model.trainableVariables);
  const [value] = await loss.data();
  loss.dispose();
  if (!Number.isFinite(value)) throw new Error(`loss is ${value}`);
};

const warmupStart = performance.now();
for (let i = 0; i < WARMUP; i++) await step();
const warmupSeconds = (performance.now() - warmupStart) / 1000;
const start = performance.now();
for (let i = 0; i < STEPS; i++) await step();
const seconds = (performance.now() - start) / 1000;

// Kernel times come from WebGPU timestamp queries where the adapter offers them; without, tfjs
// reports 0 and only the wall-clock figures above mean anything.
const kernels = {};
for (const k of (await tf.profile(step)).kernels) {
  if (k.name.endsWith('__op')) continue;
  const entry = (kernels[k.name] ??= { ms: 0, macs: 0, calls: 0 });
  entry.ms += Number(await k.kernelTimeMs) || 0;
  entry.macs += convMultiplyAdds(k.name, k.inputShapes, k.outputShapes[0]);
  entry.calls++;
}
const conv = Object.values(kernels).reduce((s, k) => (k.macs > 0 ? { ms: s.ms + k.ms, macs: s.macs + k.macs } : s), { ms: 0, macs: 0 });
const totalKernelMs = Object.values(kernels).reduce((s, k) => s + k.ms, 0);

console.log(
  JSON.stringify({
    adapter: backend.adapter,
    model: `CIFAR ResNet-18, width ${WIDTH}, ${INPUT.join('×')}, ${CLASSES} classes`,
    batch: BATCH,
    warmup: WARMUP,
    steps: STEPS,
    warmupSeconds,
    seconds,
    secondsPerStep: seconds / STEPS,
    imagesPerSecond: (BATCH * STEPS) / seconds,
    convolutionGflop: (2 * conv.macs) / 1e9,
    convolutionKernelMs: conv.ms,
    allKernelMs: totalKernelMs,
    convolutionGflopPerSecond: conv.ms > 0 ? (2 * conv.macs) / 1e6 / conv.ms : null,
    kernels: Object.fromEntries(Object.entries(kernels).sort(([, a], [, b]) => b.ms - a.ms)),
  }),
);
tf.dispose([x, target]);
model.dispose();
releaseBackend();
