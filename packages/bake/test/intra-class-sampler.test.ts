import { describe, expect, it } from 'vitest';
import { Rng } from '@selfkd/core';
import { IntraClassSampler } from '../src/index.js';

const labels = Int32Array.from({ length: 30 }, (_, i) => i % 3);

describe("BAKE's intra-class sampler", () => {
  it('each batch: ⌊batchSize/(M+1)⌋ originals, then M other samples of each original\'s class; every sample is an original once an epoch', () => {
    const sampler = new IntraClassSampler({ labels, numClasses: 3, batchSize: 8 }, 3);
    const batches = [...sampler.epoch(new Rng('bake-sampler'))];
    expect(batches.length).toBe(sampler.batchesPerEpoch());
    expect(batches.length).toBe(15);
    const originals: number[] = [];
    for (const { indices, anchors } of batches) {
      expect(anchors).toBe(indices.length); // every row counts in the task loss
      const count = indices.length / 4;
      const own = [...indices.subarray(0, count)];
      originals.push(...own);
      own.forEach((o, i) => {
        const others = [...indices.subarray(count + 3 * i, count + 3 * i + 3)];
        expect(new Set(others).size).toBe(3); // 9 others in the class: drawn without replacement
        for (const j of others) {
          expect(j).not.toBe(o);
          expect(labels[j]).toBe(labels[o]);
        }
      });
    }
    expect(originals.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('draws with replacement from a class with fewer than M others, and refuses a class of one sample', () => {
    const small = Int32Array.from([0, 0, 1, 1, 1]);
    const [batch] = [...new IntraClassSampler({ labels: small, numClasses: 2, batchSize: 20 }, 3).epoch(new Rng(1))];
    expect(batch!.indices.length).toBe(20);
    expect(() => new IntraClassSampler({ labels: Int32Array.from([0, 1, 1]), numClasses: 2, batchSize: 8 }, 3)).toThrow(
      "class 0 has a single training sample; BAKE's sampler needs another sample of its class (intraImages 3)",
    );
    expect(() => new IntraClassSampler({ labels: small, numClasses: 2, batchSize: 3 }, 3)).toThrow('batchSize must be an integer ≥ intraImages + 1 = 4, got 3');
  });
});
