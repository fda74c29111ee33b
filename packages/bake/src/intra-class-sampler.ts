import type { BatchSampler, Rng, SampledBatch, SamplerRequest } from '@selfkd/core';

/**
 * BAKE's `IdentityBatchSampler` (yxgeee/BAKE `small_scale/datasets.py`): shuffle all indices, cut
 * them into groups of `⌊batchSize / (M + 1)⌋` originals, and add after the originals M other
 * samples of each original's class — drawn without replacement when the class has M others, with
 * replacement otherwise. Every row is an anchor (the task loss and the ensemble use all of them),
 * so a batch holds about `batchSize` rows, as in the reference's `batch_size // num_instances`.
 */
export class IntraClassSampler implements BatchSampler {
  private readonly labels: Int32Array;
  private readonly originals: number;
  private readonly intraImages: number;
  private readonly byClass: Int32Array[];

  constructor({ labels, numClasses, batchSize }: SamplerRequest, intraImages: number) {
    if (!Number.isInteger(intraImages) || intraImages < 0) throw new RangeError(`intraImages must be an integer ≥ 0, got ${intraImages}`);
    if (!Number.isInteger(batchSize) || batchSize < intraImages + 1) {
      throw new RangeError(`batchSize must be an integer ≥ intraImages + 1 = ${intraImages + 1}, got ${batchSize}`);
    }
    const members: number[][] = Array.from({ length: numClasses }, () => []);
    labels.forEach((label, index) => {
      if (!(label >= 0 && label < numClasses)) throw new RangeError(`labels[${index}] is ${label}; a label must be an integer in [0, ${numClasses})`);
      members[label]!.push(index);
    });
    if (intraImages > 0) {
      const lonely = members.findIndex((m) => m.length === 1);
      if (lonely >= 0) throw new RangeError(`class ${lonely} has a single training sample; BAKE's sampler needs another sample of its class (intraImages ${intraImages})`);
    }
    this.labels = labels;
    this.originals = Math.floor(batchSize / (intraImages + 1));
    this.intraImages = intraImages;
    this.byClass = members.map((m) => Int32Array.from(m));
  }

  batchesPerEpoch(): number {
    return Math.ceil(this.labels.length / this.originals);
  }

  *epoch(rng: Rng): Iterable<SampledBatch> {
    const n = this.labels.length;
    const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    for (let start = 0; start < n; start += this.originals) {
      const originals = order.subarray(start, Math.min(n, start + this.originals));
      const indices = new Int32Array(originals.length * (this.intraImages + 1));
      indices.set(originals);
      originals.forEach((original, i) => {
        const others = Array.from(this.byClass[this.labels[original]!]!).filter((j) => j !== original);
        indices.set(this.drawOthers(others, rng), originals.length + i * this.intraImages);
      });
      yield { indices, anchors: indices.length };
    }
  }

  private drawOthers(others: number[], rng: Rng): number[] {
    if (others.length >= this.intraImages) return rng.shuffle(others).slice(0, this.intraImages);
    return Array.from({ length: this.intraImages }, () => others[rng.int(others.length)]!);
  }
}
