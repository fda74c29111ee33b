import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, selfkdBin } from '../support/cli.js';
import { runProcess } from '../support/run-process.js';
import { webGpuDriver, type WebGpuDriver } from './webgpu-driver.js';

/*
 * The webgpu backend against the cpu backend, on whatever Vulkan driver is here: Mesa's lavapipe
 * (software, fetched by scripts/ensure-webgpu-driver.sh) in CI, a GPU's own driver when
 * SELFKD_WEBGPU_USE_SYSTEM_DRIVER=1. Everything on webgpu runs in child processes: a Dawn device
 * would keep the test worker's process alive, and lavapipe compiles shaders slowly.
 *
 * Tolerances (float32 on both sides; the differences come from summation order):
 * - kernels: every op within 1e-5 of the cpu result's largest magnitude (measured ≤ 7e-7).
 * - five training steps (label smoothing, SGD with momentum, batch 16): each step's loss within
 *   1e-5 relative to cpu's, every trained weight within 1e-5 of the largest weight (measured on
 *   lavapipe: losses ≤ 2e-7, weights ≤ 6e-7 for the MLP, the CNN and ResNet-18; the test prints
 *   what it measures).
 * - five BAKE steps (MLP): the same tolerances as the five training steps.
 * - a whole `selfkd train` + `selfkd eval`: losses and metrics within 1e-3 relative.
 */
const KERNEL_TOLERANCE = 1e-5;
const STEP_TOLERANCE = { loss: 1e-5, weights: 1e-5 };
const RUN_TOLERANCE = 1e-3;
const CHILD_TIMEOUT_MS = 480_000;

const driver: WebGpuDriver = await webGpuDriver();
const skipReason = 'skip' in driver ? driver.skip : undefined;
if (skipReason) process.stderr.write(`webgpu tests skipped: ${skipReason}\n`);
const childEnv = 'env' in driver ? { ...driver.env, FORCE_COLOR: '0' } : undefined;

interface TrainChildResult {
  backend: string;
  adapter: { software: boolean } | null;
  stepLosses: number[];
  metrics: { top1: number; nll: number };
  weights: string;
  memory: { numTensors: number; gpuBytes: number | null }[];
}

// Inside the run's temporary folder (test/support/temp-dir-setup.ts), removed when the run ends.
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'selfkd-webgpu-'));
});

async function runNode(args: string[]): Promise<string> {
  const result = await runProcess(process.execPath, args, { cwd: repoRoot, env: childEnv, timeoutMs: CHILD_TIMEOUT_MS });
  if (result.status !== 0) throw new Error(`node ${args.slice(0, 2).join(' ')} failed (${result.status ?? result.signal}):\n${result.stderr.slice(-3000)}`);
  return result.stdout;
}

function lastJsonLine<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

async function trainOn(backend: 'cpu' | 'webgpu', config: object, name: string, testImages: number): Promise<TrainChildResult> {
  const out = join(tmp, `${name}-${backend}`);
  const stdout = await runNode([resolve(import.meta.dirname, 'train-child.mjs'), JSON.stringify({ ...config, backend }), out, String(testImages)]);
  return lastJsonLine<TrainChildResult>(stdout);
}

function floats(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** Largest |a − b| relative to the largest |b|. */
function relativeGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let gap = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    gap = Math.max(gap, Math.abs(a[i]! - b[i]!));
  }
  return gap / Math.max(scale, 1e-12);
}

const fiveSteps = (model: object) => ({
  seed: 3,
  data: { name: 'mnist-digits', trainSize: 80 },
  model,
  // A rate at which the loss falls steadily: where it climbs (0.05 with momentum 0.9 on the ResNet),
  // float32 rounding differences between any two backends grow exponentially from step to step.
  train: { epochs: 1, batchSize: 16, optimizer: { name: 'sgd', lr: 0.01, momentum: 0.5 }, schedule: { name: 'constant' } },
  regularizers: [{ type: 'label-smoothing', epsilon: 0.1 }],
});

// Skipped, the title says why: no Vulkan driver for Dawn could be had on this machine.
describe.skipIf(skipReason !== undefined)(skipReason ? `webgpu backend (skipped: ${skipReason})` : 'webgpu backend against cpu (child processes)', () => {
  it('computes every op the models train with as the cpu backend does', async () => {
    const { adapter, errors } = lastJsonLine<{ adapter: { vendor: string }; errors: Record<string, number> }>(
      await runNode([resolve(import.meta.dirname, 'kernels-child.mjs')]),
    );
    expect(adapter.vendor).toBeTypeOf('string');
    expect(Object.keys(errors).length).toBeGreaterThanOrEqual(15);
    for (const [op, error] of Object.entries(errors)) expect(error, op).toBeLessThanOrEqual(KERNEL_TOLERANCE);
  }, CHILD_TIMEOUT_MS);

  it.each([
    ['mlp', { name: 'mlp', hidden: [64, 32] }],
    ['cnn', { name: 'cnn' }],
    ['resnet18 (width 1/16)', { name: 'resnet18', width: 1 / 16 }],
  ])('%s: five training steps give the losses and weights of cpu', async (name, model) => {
    const config = fiveSteps(model);
    // lr must be > 0: at 1e-30 the "trained" weights are the initial ones, to show that training moved them.
    const untrained = { ...config, train: { ...config.train, optimizer: { name: 'sgd', lr: 1e-30 } } };
    const [cpu, webgpu, initial] = await Promise.all([
      trainOn('cpu', config, name, 100),
      trainOn('webgpu', config, name, 100),
      trainOn('cpu', untrained, `${name}-untrained`, 1),
    ]);
    expect(webgpu.backend).toBe('webgpu');
    expect(cpu.stepLosses).toHaveLength(5);
    expect(webgpu.stepLosses).toHaveLength(5);
    const lossGaps = webgpu.stepLosses.map((loss, i) => Math.abs(loss - cpu.stepLosses[i]!) / cpu.stepLosses[i]!);
    const [got, expected] = [floats(webgpu.weights), floats(cpu.weights)];
    expect(got.length).toBe(expected.length);
    const weightGap = relativeGap(got, expected);
    process.stderr.write(`webgpu vs cpu, ${name}: step losses ${lossGaps.map((g) => g.toExponential(1)).join(' ')}; weights ${weightGap.toExponential(1)}\n`);
    lossGaps.forEach((gap, i) => expect(gap, `step ${i + 1}`).toBeLessThanOrEqual(STEP_TOLERANCE.loss));
    expect(weightGap).toBeLessThanOrEqual(STEP_TOLERANCE.weights);
    expect(relativeGap(floats(initial.weights), expected)).toBeGreaterThan(100 * STEP_TOLERANCE.weights);
  }, 3 * CHILD_TIMEOUT_MS);

  it('BAKE (its ensemble solved on the device inside the step) trains as on cpu', async () => {
    // One same-class sample per original keeps it to 5 steps of 16 rows on 40 images.
    const config = { ...fiveSteps({ name: 'mlp', hidden: [64, 32] }), data: { name: 'mnist-digits', trainSize: 40 }, regularizers: [{ type: 'bake', intraImages: 1 }] };
    const [cpu, webgpu] = await Promise.all([trainOn('cpu', config, 'bake', 50), trainOn('webgpu', config, 'bake', 50)]);
    expect(webgpu.backend).toBe('webgpu');
    expect(webgpu.stepLosses).toHaveLength(5);
    expect(cpu.stepLosses).toHaveLength(5);
    const lossGaps = webgpu.stepLosses.map((loss, i) => Math.abs(loss - cpu.stepLosses[i]!) / cpu.stepLosses[i]!);
    const weightGap = relativeGap(floats(webgpu.weights), floats(cpu.weights));
    process.stderr.write(`webgpu vs cpu, bake: step losses ${lossGaps.map((g) => g.toExponential(1)).join(' ')}; weights ${weightGap.toExponential(1)}\n`);
    lossGaps.forEach((gap, i) => expect(gap, `step ${i + 1}`).toBeLessThanOrEqual(STEP_TOLERANCE.loss));
    expect(weightGap).toBeLessThanOrEqual(STEP_TOLERANCE.weights);
  }, CHILD_TIMEOUT_MS);

  it('holds no more tensors or GPU memory after the third epoch than after the second', async () => {
    const config = { ...fiveSteps({ name: 'cnn' }), train: { ...fiveSteps({}).train, epochs: 3 }, data: { name: 'mnist-digits', trainSize: 32 } };
    const { memory } = await trainOn('webgpu', config, 'growth', 50);
    expect(memory).toHaveLength(3);
    expect(memory[2]!.numTensors).toBe(memory[1]!.numTensors);
    expect(memory[2]!.gpuBytes).toBeTypeOf('number');
    expect(memory[2]!.gpuBytes).toBeLessThanOrEqual(memory[1]!.gpuBytes!);
  }, CHILD_TIMEOUT_MS);

  it('`selfkd train` and `selfkd eval` on webgpu match cpu, record the adapter and exit by themselves', async () => {
    const config = join(tmp, 'tiny.json');
    const body = { ...fiveSteps({ name: 'mlp', hidden: [32] }), train: { ...fiveSteps({}).train, epochs: 2 }, eval: { suite: 'calibration' } };
    await writeFile(config, JSON.stringify(body));
    const runs = await Promise.all(
      (['cpu', 'webgpu'] as const).map(async (backend) => {
        const out = join(tmp, `cli-${backend}`);
        await runNode([selfkdBin, 'train', '--config', config, '--out', out, '--backend', backend]);
        await runNode([selfkdBin, 'eval', '--checkpoint', out, '--suite', 'classification', '--backend', backend]);
        const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8'));
        const evaluated = JSON.parse(await readFile(join(out, 'eval.json'), 'utf8'));
        const metrics = (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
        return { result, evaluated, metrics };
      }),
    );
    const [cpu, webgpu] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(webgpu.result.env.backend).toBe('webgpu');
    expect(webgpu.result.env.adapter).toMatchObject({ vendor: expect.any(String), architecture: expect.any(String), device: expect.any(String) });
    expect(cpu.result.env.adapter).toBeUndefined();
    expect(webgpu.evaluated.adapter).toEqual(webgpu.result.env.adapter);
    const close = (a: number, b: number, what: string) => expect(Math.abs(a - b) / Math.max(Math.abs(b), 1e-6), what).toBeLessThanOrEqual(RUN_TOLERANCE);
    webgpu.metrics.forEach((epoch: { train: Record<string, number>; test: { nll: number; top1: number } }, i: number) => {
      close(epoch.train.total!, cpu.metrics[i].train.total, `epoch ${i + 1} train loss`);
      close(epoch.test.nll, cpu.metrics[i].test.nll, `epoch ${i + 1} test nll`);
    });
    close(webgpu.result.eval.calibration.ece, cpu.result.eval.calibration.ece, 'ece after training');
    close(webgpu.evaluated.classification.top1, cpu.evaluated.classification.top1, 'selfkd eval top-1');
  }, CHILD_TIMEOUT_MS);
});
