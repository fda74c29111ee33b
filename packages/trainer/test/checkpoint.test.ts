import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from '../src/binary-state.js';
import { hasCheckpoint } from '@selfkd/core';
import { loadCheckpoint, openCheckpoint, saveCheckpoint, type TrainingState } from '../src/checkpoint.js';
import { DamagedCheckpointError } from '../src/damaged-checkpoint-error.js';

const state = (epoch: number): TrainingState => ({
  epoch,
  step: epoch * 10,
  seed: 3,
  nextOrderRng: [1, 2, 3, 4],
  optimizer: { step: epoch * 10, slots: [{ name: 'm/0', shape: [2], data: Float32Array.from([0.5, -1]) }] },
  regularizers: { 'ps-kd': { memory: Float32Array.from([0.25, 0.75]), seen: Int32Array.from([1, 0]), alpha: 0.4 } },
  regularizerVariables: {},
  best: null,
});

/** Writes a model.json that differs per epoch, so checksums differ between checkpoints. */
const writer = { saveModel: async (dir: string) => writeFile(join(dir, 'model.json'), `{"epoch":${Number(dir.slice(-4))}}`) };

describe('binary state encoding', () => {
  it('round-trips JSON values and typed arrays exactly', () => {
    const { json, blob } = encodeState(state(2));
    const back = decodeState(JSON.parse(JSON.stringify(json)), blob);
    expect(back).toEqual(state(2));
    expect((back.regularizers as Record<string, Record<string, unknown>>)['ps-kd']!.memory).toBeInstanceOf(Float32Array);
  });
});

describe('checkpoints', () => {
  it('point latest.json at the newest complete checkpoint and keep only the one before it', async () => {
    const out = await mkdtemp(join(tmpdir(), 'selfkd-ckpt-'));
    expect(hasCheckpoint(out)).toBe(false);
    for (const epoch of [1, 2, 3]) await saveCheckpoint(out, state(epoch), writer);
    const loaded = await loadCheckpoint(out);
    expect(loaded.state).toEqual(state(3));
    expect(loaded.replacedDamaged).toBeUndefined();
    expect((await readdir(join(out, 'checkpoints'))).sort()).toEqual(['epoch-0002', 'epoch-0003', 'latest.json']);
    const pointer = JSON.parse(await readFile(join(out, 'checkpoints', 'latest.json'), 'utf8'));
    expect(Object.keys(pointer.files).sort()).toEqual(['model.json', 'state.bin', 'state.json']);
    expect(pointer.files['model.json']).toBe(createHash('sha256').update('{"epoch":3}').digest('hex'));
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
    await expect(loadCheckpoint(out)).rejects.toThrow(/has no checkpoint yet \(no checkpoints\/latest.json\): the run was stopped before its first epoch ended/);
  });
});

describe('damaged checkpoints', () => {
  const twoCheckpoints = async () => {
    const out = await mkdtemp(join(tmpdir(), 'selfkd-ckpt-'));
    await saveCheckpoint(out, state(1), writer);
    await saveCheckpoint(out, state(2), writer);
    return out;
  };
  const latestDir = (out: string) => join(out, 'checkpoints', 'epoch-0002');

  // The last column is the epoch of the newest intact checkpoint: a damaged pointer leaves both folders usable.
  const damages: [string, (out: string) => Promise<void>, RegExp, number][] = [
    ['a flipped byte in a file', async (out) => flipByte(join(latestDir(out), 'state.bin')), /epoch-0002\/state\.bin does not match its SHA-256 checksum/, 1],
    ['a missing file', async (out) => rm(join(latestDir(out), 'model.json')), /epoch-0002\/model\.json is missing/, 1],
    ['a truncated latest.json', async (out) => writeFile(join(out, 'checkpoints', 'latest.json'), '{"epoch": 2, "di'), /latest\.json is not valid JSON/, 2],
    [
      'latest.json naming a folder that is gone',
      async (out) => rm(latestDir(out), { recursive: true }),
      /latest\.json names .*epoch-0002, which does not exist/,
      1,
    ],
  ];

  it.each(damages)('are reported by file, with the newest intact checkpoint (%s)', async (_what, damage, message, intact) => {
    const out = await twoCheckpoints();
    await damage(out);
    const error = await loadCheckpoint(out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DamagedCheckpointError);
    expect((error as Error).message).toMatch(message);
    expect((error as DamagedCheckpointError).fallback).toBe(join(out, 'checkpoints', `epoch-000${intact}`));
    const fallen = await loadCheckpoint(out, { fallBack: true });
    expect(fallen.state).toEqual(state(intact));
    expect(fallen.replacedDamaged).toMatch(message);
  });

  it('fail when no intact checkpoint is left, and verify a checkpoint folder named directly', async () => {
    const out = await twoCheckpoints();
    await flipByte(join(out, 'checkpoints', 'epoch-0001', 'model.json'));
    expect((await openCheckpoint(latestDir(out))).state).toEqual(state(2));
    await expect(openCheckpoint(join(out, 'checkpoints', 'epoch-0001'))).rejects.toThrow(/epoch-0001\/model\.json does not match/);
    await flipByte(join(latestDir(out), 'state.json'));
    await expect(loadCheckpoint(out, { fallBack: true })).rejects.toThrow(/state\.json does not match .*; no intact older checkpoint is left/);
  });

  it('name the path when it is neither a run folder nor a checkpoint folder', async () => {
    const out = await mkdtemp(join(tmpdir(), 'selfkd-ckpt-'));
    await expect(openCheckpoint(out)).rejects.toThrow(`${out} is neither a selfkd run folder`);
    await expect(openCheckpoint(join(out, 'nope'))).rejects.toThrow(`${join(out, 'nope')} does not exist`);
  });
});

async function flipByte(path: string): Promise<void> {
  const bytes = await readFile(path);
  bytes[0] = bytes[0]! ^ 0x01;
  await writeFile(path, bytes);
}
