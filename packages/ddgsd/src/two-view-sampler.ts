import type { BatchSampler, Rng, SampledBatch, SamplerRequest } from '@selfkd/core';

/**
 * DDGSD's batches: the shuffled training set cut into batches of `batchSize` samples, each batch
 * listing its samples twice. The trainer augments every row independently, so the two halves are
 * two differently distorted views of the same images (the reference's two-transform loader). Both
 * halves are anchors: the reference's cross-entropy covers both views.
 */
export class TwoViewSampler implements BatchSampler {
  private readonly size: number;
  private readonly batchSize: number;

  constructor({ labels, batchSize }: SamplerRequest) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    this.size = labels.length;
    this.batchSize = batchSize;
  }

  batchesPerEpoch(): number {
    return Math.ceil(this.size / this.batchSize);
  }

  *epoch(rng: Rng): Iterable<SampledBatch> {
    const order = rng.shuffle(Int32Array.from({ length: this.size }, (_, i) => i));
    for (let start = 0; start < this.size; start += this.batchSize) {
      const samples = order.subarray(start, Math.min(this.size, start + this.batchSize));
      const indices = new Int32Array(2 * samples.length);
      indices.set(samples);
      indices.set(samples, samples.length);
      yield { indices, anchors: indices.length };
    }
  }
}
