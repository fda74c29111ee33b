import { describe, expect, it } from 'vitest';
import { Rng, type SampledBatch } from '@selfkd/core';
import { PairedClassSampler } from '../src/index.js';

// 23 samples of 4 classes with uneven sizes; class 3 has a single member, which must be its own partner.
const labels = Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 0, 0, 1, 3]);

function epoch(seed: string, batchSize = 5): SampledBatch[] {
  return [...new PairedClassSampler({ labels, numClasses: 4, batchSize }).epoch(new Rng(seed))];
}

describe('PairedClassSampler', () => {
  it('yields each anchor once per epoch, then one same-class partner per anchor in the same order', () => {
    const batches = epoch('a');
    expect(batches.map((b) => b.anchors)).toEqual([5, 5, 5, 5, 3]);
    expect(new PairedClassSampler({ labels, numClasses: 4, batchSize: 5 }).batchesPerEpoch()).toBe(5);
    const anchors = batches.flatMap((b) => Array.from(b.indices.subarray(0, b.anchors)));
    expect([...anchors].sort((x, y) => x - y)).toEqual(Array.from({ length: labels.length }, (_, i) => i));
    for (const b of batches) {
      expect(b.indices.length).toBe(2 * b.anchors);
      for (let i = 0; i < b.anchors; i++) {
        const anchor = b.indices[i]!;
        const partner = b.indices[b.anchors + i]!;
        expect(labels[partner], `partner of ${anchor}`).toBe(labels[anchor]);
        if (labels[anchor] === 3) expect(partner).toBe(anchor);
      }
    }
  });

  it('draws partners uniformly over the class, the anchor itself included', () => {
    // Class 1 has 8 members: over many epochs each should be drawn as partner of anchor 1 about 1/8 of the time.
    const counts = new Map<number, number>();
    const epochs = 1600;
    const sampler = new PairedClassSampler({ labels, numClasses: 4, batchSize: 23 });
    const rng = new Rng('uniform');
    for (let e = 0; e < epochs; e++) {
      const [batch] = [...sampler.epoch(rng)];
      const at = batch!.indices.indexOf(1);
      const partner = batch!.indices[batch!.anchors + at]!;
      counts.set(partner, (counts.get(partner) ?? 0) + 1);
    }
    const classOne = labels.reduce<number[]>((m, y, i) => (y === 1 ? [...m, i] : m), []);
    expect([...counts.keys()].sort((x, y) => x - y)).toEqual(classOne);
    // Binomial(1600, 1/8): mean 200, sd ≈ 13; ±60 is more than 4 sd.
    for (const c of counts.values()) expect(Math.abs(c - epochs / 8)).toBeLessThan(60);
  });

  it('repeats for the same generator seed and differs for another', () => {
    const flatten = (bs: SampledBatch[]) => bs.flatMap((b) => Array.from(b.indices));
    expect(flatten(epoch('s'))).toEqual(flatten(epoch('s')));
    expect(flatten(epoch('s'))).not.toEqual(flatten(epoch('t')));
  });

  it('rejects labels outside [0, numClasses) and a bad batch size, naming them', () => {
    expect(() => new PairedClassSampler({ labels: Int32Array.from([0, 5]), numClasses: 3, batchSize: 2 })).toThrow(
      /labels\[1\] is 5; a label must be an integer in \[0, 3\)/,
    );
    expect(() => new PairedClassSampler({ labels, numClasses: 4, batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
  });
});
