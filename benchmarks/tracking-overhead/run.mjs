// Cost of the trackers per training step: a simulated run of 10 epochs × 1000 steps with four loss
// terms (six scalars a step, as `selfkd train` reports them), written to TensorBoard, to MLflow,
// and to both. Prints the median of five repeats, in microseconds per step.
// Usage: npx tsc -b && node benchmarks/tracking-overhead/run.mjs
import console from 'node:console';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTrackingReporter } from '../../packages/tracking/dist/index.js';

const EPOCHS = 10;
const STEPS = 1000;

function simulate(logging) {
  const dir = mkdtempSync(join(tmpdir(), 'selfkd-tracking-overhead-'));
  const options = Object.fromEntries(Object.entries(logging).map(([k, v]) => [k, join(dir, v)]));
  const reporter = createTrackingReporter(options, { runName: 'overhead', config: { seed: 0 } });
  const losses = { total: 1, task: 0.5, a: 0.1, b: 0.2 };
  reporter.runStart({ backend: 'cpu', provider: 'none', seed: 0, totalEpochs: EPOCHS, startEpoch: 0, stepsPerEpoch: STEPS, trainSamples: STEPS, regularizers: ['a', 'b'] });
  const started = performance.now();
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    reporter.epochStart(epoch, EPOCHS, STEPS);
    for (let step = 1; step <= STEPS; step++) reporter.step({ epoch, stepInEpoch: step, stepsPerEpoch: STEPS, samplesPerSecond: 1000, losses });
    reporter.epochEnd({ epoch: epoch + 1, lr: 0.1, train: losses, test: { top1: 0.5, nll: 1 }, seconds: 1 });
  }
  reporter.close();
  const micros = ((performance.now() - started) * 1000) / (EPOCHS * STEPS);
  rmSync(dir, { recursive: true });
  return micros;
}

for (const [name, logging] of Object.entries({ tensorboard: { tensorboard: 'tb' }, mlflow: { mlflow: 'mlruns' }, both: { tensorboard: 'tb', mlflow: 'mlruns' } })) {
  const runs = Array.from({ length: 5 }, () => simulate(logging)).sort((a, b) => a - b);
  console.log(`${name.padEnd(12)} ${runs[2].toFixed(1)} µs per step (median of 5; min ${runs[0].toFixed(1)})`);
}
