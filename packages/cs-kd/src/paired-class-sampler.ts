import type { BatchSampler, Rng, SampledBatch, SamplerRequest } from '@selfkd/core';

/**
 * CS-KD's `PairBatchSampler` (alinlab/cs-kd): shuffle all training indices, cut them into batches
 * of `batchSize` anchors (the last may be smaller), and give each anchor one partner drawn
 * uniformly from all training indices of its class — possibly the anchor itself. A batch is the
 * anchors followed by their partners in the same order, so row `i + anchors` pairs with row `i`.
 */
export class PairedClassSampler implements BatchSampler {
  private readonly labels: Int32Array;
  private readonly batchSize: number;
  /** Training indices of each class. */
  private readonly byClass: Int32Array[];

  constructor({ labels, numClasses, batchSize }: SamplerRequest) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
    const members: number[][] = Array.from({ length: numClasses }, () => []);
    labels.forEach((label, index) => {
      if (!(label >= 0 && label < numClasses)) {
        throw new RangeError(`labels[${index}] is ${label}; a label must be an integer in [0, ${numClasses})`);
      }
      members[label]!.push(index);
    });
    this.labels = labels;
    this.batchSize = batchSize;
    this.byClass = members.map((m) => Int32Array.from(m));
  }

  batchesPerEpoch(): number {
    return Math.ceil(this.labels.length / this.batchSize);
  }

  *epoch(rng: Rng): Iterable<SampledBatch> {
    const n = this.labels.length;
    const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    for (let start = 0; start < n; start += this.batchSize) {
      const anchors = order.subarray(start, Math.min(n, start + this.batchSize));
      const indices = new Int32Array(2 * anchors.length);
      indices.set(anchors);
      anchors.forEach((anchor, i) => {
        const sameClass = this.byClass[this.labels[anchor]!]!;
        indices[anchors.length + i] = sameClass[rng.int(sameClass.length)]!;
      });
      yield { indices, anchors: anchors.length };
    }
  }
}
