import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '@selfkd/trainer';
import { conformanceConfig, entryOf, registeredRegularizers, trainedWith } from './registered-regularizers.js';

const run = promisify(execFile);
const child = join(import.meta.dirname, 'train-in-child.mjs');
const tempDir = () => mkdtemp(join(tmpdir(), 'selfkd-conformance-'));

async function inChild(raw: unknown, outDir: string, mode: 'fresh' | 'resume', killAtStep?: number) {
  const args = [child, JSON.stringify(raw), outDir, mode, ...(killAtStep === undefined ? [] : [String(killAtStep)])];
  return JSON.parse((await run(process.execPath, args, { encoding: 'utf8' })).stdout) as { metrics: unknown; epochs: number[] };
}

// One case at a time: each starts two child processes, and the machine may have two cores.
describe.each(registeredRegularizers.map((p) => ({ type: p.type, plugin: p })))('$type', ({ type, plugin }) => {
  it('resumes a run SIGKILLed mid-epoch to the metrics of an uninterrupted run (child processes)', async () => {
    const raw = conformanceConfig([entryOf(plugin)]);
    const outDir = await tempDir();
    // The uninterrupted run is the in-process one: same code, same cpu backend. Its steps per epoch
    // (a sampler owner may change them) place the kill mid-epoch 2, after epoch 1's checkpoint.
    const uninterrupted = await trainedWith(type);
    const killAtStep = uninterrupted.stepsPerEpoch + Math.ceil(uninterrupted.stepsPerEpoch / 2);
    await expect(inChild(raw, outDir, 'fresh', killAtStep)).rejects.toMatchObject({ signal: 'SIGKILL' });
    expect((await loadCheckpoint(outDir)).state.epoch).toBe(1);
    const resumed = await inChild(raw, outDir, 'resume');
    expect(resumed.epochs).toEqual([1, 2, 3]);
    expect(resumed.metrics).toEqual(uninterrupted.result.metrics);
  });
});
