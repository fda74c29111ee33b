import { describe, expect, it } from 'vitest';
import { Rng } from '@selfkd/core';
import { TwoViewSampler } from '../src/index.js';

describe("DDGSD's two-view sampler", () => {
  it('each batch lists its samples twice, all rows anchors; every sample appears in one batch an epoch', () => {
    const sampler = new TwoViewSampler({ labels: new Int32Array(7), numClasses: 1, batchSize: 3 });
    const batches = [...sampler.epoch(new Rng('ddgsd'))];
    expect(batches.length).toBe(sampler.batchesPerEpoch());
    expect(batches.map((b) => b.indices.length)).toEqual([6, 6, 2]);
    const seen: number[] = [];
    for (const { indices, anchors } of batches) {
      expect(anchors).toBe(indices.length);
      const half = indices.length / 2;
      expect([...indices.subarray(half)]).toEqual([...indices.subarray(0, half)]);
      seen.push(...indices.subarray(0, half));
    }
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
