import { describe, expect, it } from 'vitest';
import { Rng } from '@selfkd/core';
import { LastBatchSampler } from '../src/index.js';

const labels = new Int32Array(10);

describe("DLB's last-batch sampler", () => {
  it('each batch is the previous new chunk followed by a new one; every sample is new once an epoch; the first batch of a run has no carried half', () => {
    const sampler = new LastBatchSampler({ labels, numClasses: 1, batchSize: 4 }, () => undefined);
    const batches = [...sampler.epoch(new Rng('dlb'))];
    expect(batches.length).toBe(sampler.batchesPerEpoch());
    expect(batches.map((b) => b.indices.length)).toEqual([4, 8, 6]);
    batches.forEach((b) => expect(b.anchors).toBe(b.indices.length));
    for (let k = 1; k < batches.length; k++) {
      const carried = batches[k - 1]!.indices.slice(k === 1 ? 0 : 4);
      expect([...batches[k]!.indices.subarray(0, carried.length)]).toEqual([...carried]);
    }
    const fresh = [...batches[0]!.indices, ...batches[1]!.indices.subarray(4), ...batches[2]!.indices.subarray(4)];
    expect(fresh.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("an epoch after the first starts with the chunk it is given (the last epoch's last new chunk)", () => {
    const sampler = new LastBatchSampler({ labels, numClasses: 1, batchSize: 4 }, () => Int32Array.from([7, 3]));
    const [first] = sampler.epoch(new Rng(2));
    expect([...first!.indices.subarray(0, 2)]).toEqual([7, 3]);
    expect(first!.indices.length).toBe(6);
  });
});
