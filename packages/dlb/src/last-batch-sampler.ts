import type { BatchSampler, Rng, SampledBatch, SamplerRequest } from '@selfkd/core';

/**
 * DLB's batches: the training set is shuffled and cut into chunks of `batchSize` new samples, and
 * each batch is the previous step's new chunk followed by this step's — so half of every batch
 * repeats the last one. The chunk carried into an epoch's first batch is the last chunk of the
 * previous epoch (the reference keeps `pre_data` across epochs); `carried()` supplies it, and the
 * very first step of a run has none. Every row is an anchor: the task loss covers both halves.
 */
export class LastBatchSampler implements BatchSampler {
  private readonly size: number;
  private readonly batchSize: number;

  constructor({ labels, batchSize }: SamplerRequest, private readonly carried: () => Int32Array | undefined) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    this.size = labels.length;
    this.batchSize = batchSize;
  }

  batchesPerEpoch(): number {
    return Math.ceil(this.size / this.batchSize);
  }

  *epoch(rng: Rng): Iterable<SampledBatch> {
    const order = rng.shuffle(Int32Array.from({ length: this.size }, (_, i) => i));
    let previous = this.carried() ?? new Int32Array(0);
    for (let start = 0; start < this.size; start += this.batchSize) {
      const fresh = order.slice(start, Math.min(this.size, start + this.batchSize));
      const indices = new Int32Array(previous.length + fresh.length);
      indices.set(previous);
      indices.set(fresh, previous.length);
      yield { indices, anchors: indices.length };
      previous = fresh;
    }
  }
}
