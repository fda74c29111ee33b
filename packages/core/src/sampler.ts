import type { Rng } from './rng.js';

/** One batch of dataset indices. Rows `[0, anchors)` get the task loss; rows after are extra. */
export interface SampledBatch {
  indices: Int32Array;
  anchors: number;
}

export interface SamplerRequest {
  /** Label of every training sample, by dataset index. */
  labels: Int32Array;
  numClasses: number;
  /** Anchors per batch. */
  batchSize: number;
}

/** Produces one epoch's batches; all randomness comes from the given generator. */
export interface BatchSampler {
  epoch(rng: Rng): Iterable<SampledBatch>;
  /** Number of batches per epoch. */
  batchesPerEpoch(): number;
}

/** Shuffles all indices and cuts them into batches (the last one may be smaller). */
export class ShuffledSampler implements BatchSampler {
  constructor(private readonly request: SamplerRequest) {
    if (!Number.isInteger(request.batchSize) || request.batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${request.batchSize}`);
    }
  }

  batchesPerEpoch(): number {
    return Math.ceil(this.request.labels.length / this.request.batchSize);
  }

  *epoch(rng: Rng): Iterable<SampledBatch> {
    const n = this.request.labels.length;
    const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    for (let start = 0; start < n; start += this.request.batchSize) {
      const indices = order.slice(start, Math.min(n, start + this.request.batchSize));
      yield { indices, anchors: indices.length };
    }
  }
}
