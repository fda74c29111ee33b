/**
 * PS-KD's table of past predictions: one row of `numClasses` probabilities per training sample,
 * indexed by dataset index. It lives in a plain Float32Array (not a tensor) so that reading and
 * writing a batch's rows costs a copy, and it serializes as it is into a checkpoint.
 */
export class PredictionMemory {
  readonly table: Float32Array;

  constructor(
    readonly numSamples: number,
    readonly numClasses: number,
    table?: Float32Array,
  ) {
    if (!Number.isInteger(numSamples) || numSamples < 1) throw new RangeError(`numSamples must be a positive integer, got ${numSamples}`);
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
    if (table && table.length !== numSamples * numClasses) {
      throw new RangeError(`table has ${table.length} entries; ${numSamples} samples × ${numClasses} classes need ${numSamples * numClasses}`);
    }
    this.table = table ?? new Float32Array(numSamples * numClasses);
  }

  /** The rows of `indices`, in order, as one row-major `[indices.length, numClasses]` array. */
  rows(indices: ArrayLike<number>): Float32Array {
    const k = this.numClasses;
    const out = new Float32Array(indices.length * k);
    for (let i = 0; i < indices.length; i++) {
      const at = this.offset(indices[i]!);
      out.set(this.table.subarray(at, at + k), i * k);
    }
    return out;
  }

  /** Stores row `i` of the row-major `rows` under dataset index `indices[i]`. */
  write(indices: ArrayLike<number>, rows: ArrayLike<number>): void {
    const k = this.numClasses;
    if (rows.length !== indices.length * k) {
      throw new RangeError(`write: ${indices.length} indices need ${indices.length * k} values (${k} per row), got ${rows.length}`);
    }
    for (let i = 0; i < indices.length; i++) {
      const at = this.offset(indices[i]!);
      for (let c = 0; c < k; c++) this.table[at + c] = rows[i * k + c]!;
    }
  }

  /** Sets the rows of `indices` to `onehot(labels)`. */
  writeOneHot(indices: ArrayLike<number>, labels: ArrayLike<number>): void {
    const k = this.numClasses;
    for (let i = 0; i < indices.length; i++) {
      const label = labels[i]!;
      if (!Number.isInteger(label) || label < 0 || label >= k) throw new RangeError(`labels[${i}] is ${label}; allowed: integers in [0, ${k})`);
      const at = this.offset(indices[i]!);
      this.table.fill(0, at, at + k);
      this.table[at + label] = 1;
    }
  }

  private offset(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.numSamples) {
      throw new RangeError(`dataset index ${index} is outside the memory's [0, ${this.numSamples})`);
    }
    return index * this.numClasses;
  }
}
