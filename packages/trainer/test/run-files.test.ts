import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRICS_FILE } from '@selfkd/core';
import { metricsUpTo } from '../src/run-files.js';

const line = (epoch: number) => JSON.stringify({ epoch, lr: 0.1, train: { total: 1 / epoch }, test: { top1: 0.5, nll: 1 }, seconds: 1 }) + '\n';

describe('metricsUpTo (what a resume keeps of metrics.jsonl)', () => {
  it('leaves the file untouched when every line belongs to a checkpointed epoch', async () => {
    const out = await mkdtemp(join(tmpdir(), 'selfkd-metrics-'));
    const path = join(out, METRICS_FILE);
    await writeFile(path, line(1) + line(2));
    const before = await stat(path);
    const records = await metricsUpTo(out, 2);
    expect(records.map((r) => r.epoch)).toEqual([1, 2]);
    // Same inode, same modification time: a resume killed at this point cannot have lost anything.
    const after = await stat(path);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it('replaces the file with a new one (never truncates it in place) to drop lines past the checkpoint and a cut line', async () => {
    const out = await mkdtemp(join(tmpdir(), 'selfkd-metrics-'));
    const path = join(out, METRICS_FILE);
    await writeFile(path, line(1) + line(2) + line(3) + '{"epoch": 4, "lr');
    const before = await stat(path);
    expect((await metricsUpTo(out, 2)).map((r) => r.epoch)).toEqual([1, 2]);
    expect(await readFile(path, 'utf8')).toBe(line(1) + line(2));
    expect((await stat(path)).ino).not.toBe(before.ino);
  });
});
