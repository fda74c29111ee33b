import { mkdtemp, readdir, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from '../src/binary-state.js';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint, type TrainingState } from '../src/checkpoint.js';

const state = (epoch: number): TrainingState => ({
  epoch,
  step: epoch * 10,
  seed: 3,
  nextOrderRng: [1, 2, 3, 4],
  optimizer: { step: epoch * 10, slots: [{ name: 'm/0', shape: [2], data: Float32Array.from([0.5, -1]) }] },
  regularizers: { 'ps-kd': { memory: Float32Array.from([0.25, 0.75]), seen: Int32Array.from([1, 0]), alpha: 0.4 } },
});

describe('binary state encoding', () => {
  it('round-trips JSON values and typed arrays exactly', () => {
    const { json, blob } = encodeState(state(2));
    const back = decodeState(JSON.parse(JSON.stringify(json)), blob);
    expect(back).toEqual(state(2));
    expect((back.regularizers as Record<string, Record<string, unknown>>)['ps-kd']!.memory).toBeInstanceOf(Float32Array);
  });
});

describe('checkpoints', () => {
  it('point latest.json at the newest complete checkpoint and remove older ones', async () => {
    const out = await mkdtemp(join(tmpdir(), 'selfkd-ckpt-'));
    const writer = { saveModel: async (dir: string) => writeFile(join(dir, 'model.json'), '{}') };
    expect(hasCheckpoint(out)).toBe(false);
    await saveCheckpoint(out, state(1), writer);
    await saveCheckpoint(out, state(2), writer);
    const loaded = await loadCheckpoint(out);
    expect(loaded.state).toEqual(state(2));
    expect((await readdir(join(out, 'checkpoints'))).sort()).toEqual(['epoch-0002', 'latest.json']);
  });

  it('keep the previous checkpoint when writing a new one fails midway', async () => {
    const out = await mkdtemp(join(tmpdir(), 'selfkd-ckpt-'));
    await saveCheckpoint(out, state(1), { saveModel: async (dir) => writeFile(join(dir, 'model.json'), '{}') });
    await expect(
      saveCheckpoint(out, state(2), {
        saveModel: async () => {
          throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect((await loadCheckpoint(out)).state.epoch).toBe(1);
  });

  it('explain what is missing when there is nothing to resume', async () => {
    const out = await mkdtemp(join(tmpdir(), 'selfkd-ckpt-'));
    await mkdir(join(out, 'checkpoints'));
    await expect(loadCheckpoint(out)).rejects.toThrow(/cannot resume from .*: no readable checkpoints\/latest.json/);
  });
});
