import { ShuffledSampler, type BatchSampler, type Rng, type SampledBatch, type SamplerRequest } from '@selfkd/core';

/**
 * DDGSD's batches: the default shuffled batches of `batchSize` samples, each listing its samples
 * twice. The trainer augments every row independently, so the two halves are two differently
 * distorted views of the same images (the reference's two-transform loader). Both halves are
 * anchors: the reference's cross-entropy covers both views.
 */
export class TwoViewSampler implements BatchSampler {
  private readonly batches: ShuffledSampler;

  constructor(request: SamplerRequest) {
    this.batches = new ShuffledSampler(request);
  }

  batchesPerEpoch(): number {
    return this.batches.batchesPerEpoch();
  }

  *epoch(rng: Rng): Iterable<SampledBatch> {
    for (const { indices: samples } of this.batches.epoch(rng)) {
      const indices = new Int32Array(2 * samples.length);
      indices.set(samples);
      indices.set(samples, samples.length);
      yield { indices, anchors: indices.length };
    }
  }
}
