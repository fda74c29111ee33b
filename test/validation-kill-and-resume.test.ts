import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '@selfkd/trainer';
import { runCli } from './support/cli.js';
import { runProcess } from './support/run-process.js';

const child = join(import.meta.dirname, 'conformance', 'train-in-child.mjs');
const tempDir = () => mkdtemp(join(tmpdir(), 'selfkd-validation-kill-'));

/** 150 training and 50 validation images, 3 steps per epoch; with this seed the best validation epoch is not the last. */
const raw = {
  seed: 2,
  backend: 'cpu',
  data: { name: 'mnist-digits', trainSize: 200, validation: 0.25 },
  model: { name: 'mlp', hidden: [16] },
  train: { epochs: 4, batchSize: 50, optimizer: { name: 'adam', lr: 0.05 } },
};

interface ChildResult {
  metrics: unknown;
  bestValidation: { epoch: number; test: { top1: number } };
  epochs: number[];
}

async function inChild(outDir: string, mode: 'fresh' | 'resume', killAtStep?: number) {
  const args = [child, JSON.stringify(raw), outDir, mode, ...(killAtStep === undefined ? [] : [String(killAtStep)])];
  return runProcess(process.execPath, args);
}
const parsed = (stdout: string) => JSON.parse(stdout) as ChildResult;

describe('the best-validation epoch across a real kill (child processes)', () => {
  it('a run SIGKILLed mid-epoch resumes to the same best epoch and best/ weights, which selfkd eval --weights best evaluates', async () => {
    const fullOut = await tempDir();
    const full = await inChild(fullOut, 'fresh');
    expect(full.status, full.stderr).toBe(0);
    const expected = parsed(full.stdout);
    expect(expected.bestValidation.epoch).toBeLessThan(4);

    const out = await tempDir();
    const killed = await inChild(out, 'fresh', 3 * 3 + 1); // mid-epoch 4, after epoch 3's checkpoint
    expect(killed.signal).toBe('SIGKILL');
    expect((await loadCheckpoint(out)).state.best!.epoch).toBe(expected.bestValidation.epoch);
    const resumed = await inChild(out, 'resume');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(parsed(resumed.stdout)).toEqual(expected);
    expect(await readFile(join(out, 'best', 'weights.bin'))).toEqual(await readFile(join(fullOut, 'best', 'weights.bin')));

    const evaluated = await runCli(['eval', '--checkpoint', out, '--weights', 'best', '--suite', 'basic', '--out', join(out, 'eval-best')]);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    const report = JSON.parse(await readFile(join(out, 'eval-best', 'eval.json'), 'utf8'));
    expect(report.weights).toBe('best');
    expect(report.epoch).toBe(expected.bestValidation.epoch);
    expect(report.checkpoint).toBe(join(out, 'best'));
    expect(report.classification.top1).toBe(expected.bestValidation.test.top1);
    const last = await runCli(['eval', '--checkpoint', out, '--suite', 'basic', '--out', join(out, 'eval-last')]);
    expect(last.status, last.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(out, 'eval-last', 'eval.json'), 'utf8'))).toMatchObject({ weights: 'last', epoch: 4 });
  });

  it('selfkd eval --weights best explains a run without a validation split', async () => {
    const out = await tempDir();
    const r = await runCli(['eval', '--checkpoint', out, '--weights', 'best']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${out} has no best/ folder: it is not a run folder, the run holds out no validation split (data.validation), or no epoch has ended yet`);
  });
});
