import { ShuffledSampler, type BatchSampler, type Rng, type SampledBatch, type SamplerRequest } from '@selfkd/core';

/**
 * DLB's batches: the default shuffled chunks of `batchSize` new samples, each batch being the
 * previous step's new chunk followed by this step's — so half of every batch repeats the last one.
 * The chunk carried into an epoch's first batch is the last chunk of the previous epoch (the
 * reference keeps `pre_data` across epochs); `carried()` supplies it, and the very first step of a
 * run has none. Every row is an anchor: the task loss covers both halves.
 */
export class LastBatchSampler implements BatchSampler {
  private readonly chunks: ShuffledSampler;

  constructor(request: SamplerRequest, private readonly carried: () => Int32Array | undefined) {
    this.chunks = new ShuffledSampler(request);
  }

  batchesPerEpoch(): number {
    return this.chunks.batchesPerEpoch();
  }

  *epoch(rng: Rng): Iterable<SampledBatch> {
    let previous = this.carried() ?? new Int32Array(0);
    for (const { indices: fresh } of this.chunks.epoch(rng)) {
      const indices = new Int32Array(previous.length + fresh.length);
      indices.set(previous);
      indices.set(fresh, previous.length);
      yield { indices, anchors: indices.length };
      previous = fresh;
    }
  }
}
